import Shared

/// Phase 3 (reference §3.1 step 6): every string column must fit its length limit
/// (``EnrichedEventField/maxLength``: the `atomic` schema's, or enrich's defaults for `page_url`,
/// `page_referrer`, `mkt_clickid`). Each column too long is one `schema_violations` message against the
/// `atomic` schema. Lengths count UTF-16 code units, as Java's `String.length`.
///
/// Pure; safe from any thread.
enum AtomicFieldValidation {
    /// The string columns that have a limit.
    static let limitedFields: [EnrichedEventField] = EnrichedEventField.all.filter { $0.type == .string && $0.maxLength != nil }

    /// ``limitedFields`` as plain (column, limit) pairs: nothing to retain while iterating.
    private static let limits: [(column: Int, limit: Int)] = limitedFields.map { ($0.index, $0.maxLength ?? Int.max) }

    /// The violations of `event`; empty when every column fits.
    static func violations(of event: EnrichedEvent) -> [BadRow.SchemaViolations.Message] {
        var violations: [BadRow.SchemaViolations.Message] = []
        // One column reader for all columns: the string lengths are read without copying the strings.
        event.withColumnReader { columns in
            for (column, limit) in limits {
                // Cheap check first, in place: UTF-8 length is an upper bound of the UTF-16 length.
                guard let utf8Count = columns.stringUTF8Count(at: column), utf8Count > limit,
                    let value = columns.string(at: column)
                else { continue }
                let length = value.utf16.count
                if length > limit {
                    violations.append(
                        EventMapper.atomicViolation(
                            field: EnrichedEventField.all[column].name, value: value,
                            message: "Field is longer than maximum allowed size \(limit)"))
                }
            }
        }
        return violations
    }
}
