import Shared

/// Encodes the records of the `bad` topic as `RowBinary` rows of the `bad_rows` table.
///
/// Every record becomes a row, readable or not: a self-describing bad row gets its type, failure time,
/// processor and messages from ``Shared/BadRowSummary``; anything else is stored with type
/// `unreadable` and the raw text, so nothing on the topic is lost. The failure time falls back to the
/// Kafka record's timestamp (stable across replays, which keeps the row deduplicable).
///
/// Immutable; `Sendable`.
struct BadRowTableEncoder: Sendable {
    let dialect: ClickHouseDialect

    /// `(name, type)` of the table's columns in order.
    func columns() -> [(name: String, type: String)] {
        var columns: [(String, String)] = [("failure_tstamp", dialect.timestampType(nullable: false))]
        if dialect.splitsMilliseconds { columns.append(("failure_tstamp_ms", "UInt16")) }
        columns += [
            ("schema", "String"),
            ("type", dialect.lowCardinalityString),
            ("processor_artifact", dialect.lowCardinalityString),
            ("processor_version", dialect.lowCardinalityString),
            ("messages", "Array(String)"),
            ("message", "String"),
            ("failure", "String"),
            ("raw", "String"),
            ("kafka_topic", dialect.lowCardinalityString),
            ("kafka_partition", "Int32"),
            ("kafka_offset", "Int64"),
        ]
        return columns
    }

    /// Column names in table order.
    var columnNames: [String] { columns().map(\.name) }

    /// Appends the row for one record of the `bad` topic.
    func encode(_ record: KafkaConsumerRecord, into writer: inout RowBinaryWriter) {
        let text = String(validating: record.value, as: UTF8.self)
        let summary = text.flatMap { BadRowSummary(json: $0) }
        let fallback = record.timestampMilliseconds.flatMap { SnowplowTimestamp(millisecondsSinceEpoch: $0) }
        var milliseconds = (summary?.timestamp ?? fallback)?.millisecondsSinceEpoch ?? 0
        let range = dialect == .current ? EventRowEncoder.currentRange : EventRowEncoder.legacyRange
        if !range.contains(milliseconds) { milliseconds = fallback?.millisecondsSinceEpoch ?? 0 }
        switch dialect {
        case .current:
            writer.appendFixed(milliseconds)
        case .legacy:
            writer.appendFixed(UInt32(clamping: milliseconds / 1000))
            writer.appendFixed(UInt16(clamping: milliseconds % 1000))
        }
        writer.appendString(summary?.schema ?? "")
        writer.appendString(summary?.name ?? "unreadable")
        writer.appendString(summary?.processor?.artifact ?? "")
        writer.appendString(summary?.processor?.version ?? "")
        let messages = summary?.messages ?? ["not a self-describing bad row"]
        writer.appendVarUInt(UInt64(messages.count))
        for message in messages { writer.appendString(message) }
        writer.appendString(messages.joined(separator: "; "))
        writer.appendString(summary?.failureJSON ?? "")
        writer.appendBytes(record.value)
        writer.appendString(record.topic)
        writer.appendFixed(record.partition)
        writer.appendFixed(record.offset)
    }
}
