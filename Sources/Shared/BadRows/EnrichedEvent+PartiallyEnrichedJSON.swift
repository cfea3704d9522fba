extension EnrichedEvent {
    /// Writes the event as `snowplow-badrows`' `PartiallyEnrichedEvent`: all 131 columns by Snowplow
    /// name in TSV order, `null` when empty, typed as enrich's `toPartiallyEnrichedEvent` does —
    /// integers (except `txn_id`, a string) and coordinates as numbers, flags as `1`/`0` numbers,
    /// decimals and timestamps (`yyyy-MM-dd HH:mm:ss.SSS`) as strings, JSON columns as text.
    func writePartiallyEnrichedJSON(to writer: inout JSONWriter) {
        withColumns { Self.writePartiallyEnrichedJSON(of: $0, to: &writer) }
    }

    private static func writePartiallyEnrichedJSON(of event: UnsafeRawPointer, to writer: inout JSONWriter) {
        writer.beginObject()
        for field in EnrichedEventField.all {
            writer.key(field.name)
            switch field.type {
            case .string, .json:
                writer.string(field.read(String.self, from: event))
            case .integer:
                if field.index == Self.txnIdIndex {
                    writer.string(field.read(Int.self, from: event).map { String($0) })
                } else {
                    writer.int(field.read(Int.self, from: event))
                }
            case .double:
                if let value = field.read(Double.self, from: event) { writer.double(value) } else { writer.null() }
            case .decimal:
                writer.string(field.read(SnowplowDecimal.self, from: event)?.text)
            case .boolean:
                writer.int(field.read(Bool.self, from: event).map { $0 ? 1 : 0 })
            case .timestamp:
                writer.string(field.read(SnowplowTimestamp.self, from: event)?.tsvString)
            }
        }
        writer.endObject()
    }

    private static let txnIdIndex = EnrichedEventField.named("txn_id")?.index ?? -1
}
