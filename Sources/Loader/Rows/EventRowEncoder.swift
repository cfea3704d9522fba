import Shared

/// Encodes enriched events as `RowBinary` rows of the `events` table, for one dialect's column list.
///
/// ``encode(_:entities:into:)`` either appends one whole row or, when a value does not fit its column
/// (no or malformed `event_id`, no `collector_tstamp`, a number or timestamp out of the column's
/// range, a decimal with too many digits), appends nothing and throws ``EventRowError``.
///
/// Immutable after creation; `Sendable`.
struct EventRowEncoder: Sendable {
    let dialect: ClickHouseDialect
    let columns: [EventColumn]
    /// ``columns``' encodings, the plain array the hot loops walk.
    let plan: [EventColumn.Encoding]
    /// Indexes of the enriched JSON columns (`contexts`, `unstruct_event`, `derived_contexts`).
    let jsonColumns: [Int]
    /// Index of `derived_contexts`, where the flattened entities come from.
    let derivedContextsColumn: Int

    /// The range `DateTime` can hold: 1970-01-01 00:00:00 … 2106-02-07 06:28:15 UTC.
    static let legacyRange: ClosedRange<Int64> = 0...(Int64(UInt32.max) * 1000 + 999)
    /// The range `DateTime64(3)` can hold: 1900-01-01 … 2299-12-31 23:59:59.999 UTC.
    static let currentRange: ClosedRange<Int64> = -2_208_988_800_000...10_413_791_999_999

    init(dialect: ClickHouseDialect) {
        self.dialect = dialect
        self.columns = EventColumns.make(dialect: dialect)
        self.plan = columns.map(\.encoding)
        self.jsonColumns = EnrichedEventField.all.filter { $0.type == .json }.map(\.index)
        self.derivedContextsColumn = EnrichedEventField.named("derived_contexts")!.index
    }

    /// Column names in table order, for the insert's column list.
    var columnNames: [String] { columns.map(\.name) }

    /// Parses one enriched TSV line and appends it as a row; see ``encode(_:entities:into:)``.
    ///
    /// Usual lines go straight from bytes to the row (``encodeDirectly(tsv:into:)``); a line that path
    /// does not take is parsed into an ``EnrichedEvent`` first, which yields the same row or the error.
    func encode(tsv: UnsafeRawBufferPointer, into writer: inout RowBinaryWriter) throws(EventRowError) {
        if encodeDirectly(tsv: tsv, into: &writer) { return }
        let event: EnrichedEvent
        switch EnrichedEvent.parse(tsvBytes: tsv) {
        case .success(let parsed): event = parsed
        case .failure(let error): throw .notEnrichedTSV(error)
        }
        let entities = FlattenedEntities(derivedContexts: event.derivedContexts)
        try encode(event, entities: entities, into: &writer)
    }

    /// Appends `event` as one row, or nothing when a value does not fit.
    func encode(_ event: EnrichedEvent, entities: FlattenedEntities, into writer: inout RowBinaryWriter) throws(EventRowError) {
        let start = writer.count
        var failure: EventRowError?
        event.withColumnReader { columns in
            do throws(EventRowError) {
                for step in plan {
                    try append(step, columns, entities, &writer)
                }
            } catch {
                failure = error
            }
        }
        if let failure {
            writer.truncate(to: start)
            throw failure
        }
    }

    private func append(
        _ step: EventColumn.Encoding, _ columns: EnrichedEventColumnReader, _ entities: FlattenedEntities,
        _ writer: inout RowBinaryWriter
    ) throws(EventRowError) {
        switch step {
        case .string(let column):
            if let value = columns.string(at: column) { writer.appendString(value) } else { writer.appendVarUInt(0) }
        case .uuid(let column):
            guard let text = columns.string(at: column), let uuid = UUIDText.parse(text) else {
                throw .unloadableValue(column: name(column), value: columns.string(at: column) ?? "", reason: "is not a UUID (event_id is required)")
            }
            writer.appendUUID(high: uuid.high, low: uuid.low)
        case .int32(let column):
            guard let value = columns.integer(at: column) else { return writer.appendNull() }
            guard let narrow = Int32(exactly: value) else { throw outOfRange(column, value, "Int32") }
            writer.appendNotNull()
            writer.appendFixed(narrow)
        case .int64(let column):
            guard let value = columns.integer(at: column) else { return writer.appendNull() }
            writer.appendNotNull()
            writer.appendFixed(Int64(value))
        case .uint16(let column):
            guard let value = columns.integer(at: column) else { return writer.appendNull() }
            guard let narrow = UInt16(exactly: value) else { throw outOfRange(column, value, "UInt16") }
            writer.appendNotNull()
            writer.appendFixed(narrow)
        case .float64(let column):
            guard let value = columns.double(at: column) else { return writer.appendNull() }
            writer.appendNotNull()
            writer.appendFloat64(value)
        case .decimal(let column):
            guard let value = columns.decimal(at: column) else { return writer.appendNull() }
            switch DecimalScaling.scaled(value.text, scale: 9) {
            case .success(let scaled):
                writer.appendNotNull()
                writer.appendInt128(scaled)
            case .failure(let failure):
                let reason =
                    switch failure {
                    case .tooManyFractionalDigits: "has more than 9 fractional digits (Decimal(38, 9))"
                    case .tooLarge: "has more than 29 integer digits (Decimal(38, 9))"
                    case .notANumber: "is not a decimal number"
                    }
                throw .unloadableValue(column: name(column), value: value.text, reason: reason)
            }
        case .boolean(let column):
            guard let value = columns.boolean(at: column) else { return writer.appendNull() }
            writer.appendNotNull()
            writer.appendUInt8(value ? 1 : 0)
        case .timestamp(let column, let required):
            let value = columns.timestamp(at: column)
            if value == nil && required {
                throw .unloadableValue(column: name(column), value: "", reason: "is required")
            }
            try appendTimestamp(value, nullable: !required, column: name(column), into: &writer)
        case .milliseconds(let column):
            let milliseconds = columns.timestamp(at: column).map { Self.millisecondPart($0.millisecondsSinceEpoch) } ?? 0
            writer.appendFixed(milliseconds)
        case .entity(let field):
            appendEntity(field, entities, into: &writer)
        case .entityMilliseconds(let field):
            appendEntityMilliseconds(field, entities, into: &writer)
        }
    }

    /// The value of a flattened entity column.
    func appendEntity(_ field: EntityField, _ entities: FlattenedEntities, into writer: inout RowBinaryWriter) {
        var value = entities[field]
        if case .timestamp(let timestamp)? = value, !range.contains(timestamp.millisecondsSinceEpoch) {
            value = nil  // out of the column's range: left empty rather than rejecting the event over a copy
        }
        appendEntity(value, kind: field.kind, into: &writer)
    }

    /// The millisecond part of a flattened entity timestamp (legacy dialect).
    func appendEntityMilliseconds(_ field: EntityField, _ entities: FlattenedEntities, into writer: inout RowBinaryWriter) {
        if case .timestamp(let timestamp)? = entities[field], range.contains(timestamp.millisecondsSinceEpoch) {
            writer.appendFixed(Self.millisecondPart(timestamp.millisecondsSinceEpoch))
        } else {
            writer.appendFixed(UInt16(0))
        }
    }

    var range: ClosedRange<Int64> { dialect == .current ? Self.currentRange : Self.legacyRange }

    private func appendTimestamp(
        _ value: SnowplowTimestamp?, nullable: Bool, column: String, into writer: inout RowBinaryWriter
    ) throws(EventRowError) {
        guard let value else { return writer.appendNull() }
        let milliseconds = value.millisecondsSinceEpoch
        guard range.contains(milliseconds) else {
            throw .unloadableValue(
                column: column, value: value.tsvString,
                reason: "is outside the range the column can hold (\(dialect == .current ? "1900–2299" : "1970–2106"))")
        }
        if nullable { writer.appendNotNull() }
        switch dialect {
        case .current: writer.appendFixed(milliseconds)
        case .legacy: writer.appendFixed(UInt32(milliseconds / 1000))
        }
    }

    private func appendEntity(_ value: FlattenedEntities.Value?, kind: EntityField.Kind, into writer: inout RowBinaryWriter) {
        switch (kind, value) {
        case (.string, .string(let text)?), (.lowCardinalityString, .string(let text)?):
            writer.appendString(text)
        case (.string, _), (.lowCardinalityString, _):
            writer.appendVarUInt(0)
        case (.count, .count(let count)?):
            writer.appendNotNull()
            writer.appendFixed(count)
        case (.flag, .flag(let flag)?):
            writer.appendNotNull()
            writer.appendUInt8(flag ? 1 : 0)
        case (.timestamp, .timestamp(let timestamp)?):
            writer.appendNotNull()
            switch dialect {
            case .current: writer.appendFixed(timestamp.millisecondsSinceEpoch)
            case .legacy: writer.appendFixed(UInt32(truncatingIfNeeded: timestamp.millisecondsSinceEpoch / 1000))
            }
        default:
            writer.appendNull()
        }
    }

    static func millisecondPart(_ milliseconds: Int64) -> UInt16 {
        UInt16(((milliseconds % 1000) + 1000) % 1000)
    }

    private func name(_ column: Int) -> String { EnrichedEventField.all[column].name }

    private func outOfRange(_ column: Int, _ value: Int, _ type: String) -> EventRowError {
        .unloadableValue(column: name(column), value: String(value), reason: "does not fit the column's type \(type)")
    }
}
