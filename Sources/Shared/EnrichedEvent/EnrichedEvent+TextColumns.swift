/// Access to the text columns (strings and the three JSON columns) by ``EnrichedEventField``, for code
/// that must go over all of them — the enricher's atomic-length validation, PII pseudonymisation by
/// column name — without naming the 131 properties again.
///
/// Pure value operations; safe from any thread.
extension EnrichedEvent {
    /// The value of a `.string` or `.json` column; `nil` when empty or for a column of another type.
    public func text(of field: EnrichedEventField) -> String? {
        guard field.type == .string || field.type == .json else { return nil }
        let layout = EnrichedEventField.layout[field.index]
        return withColumns { layout.read(String.self, from: $0) }
    }

    /// Sets a `.string` or `.json` column; does nothing for a column of another type.
    public mutating func setText(_ value: String?, of field: EnrichedEventField) {
        guard field.type == .string || field.type == .json else { return }
        let layout = EnrichedEventField.layout[field.index]
        withMutableColumns { layout.write(value, to: $0) }
    }
}
