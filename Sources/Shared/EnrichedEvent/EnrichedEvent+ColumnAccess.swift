/// Typed, by-position access to the columns of an ``EnrichedEvent`` for code outside this module that
/// goes over all 131 columns (the loader's ClickHouse row encoder) without naming them again.
///
/// ```swift
/// event.withColumnReader { columns in
///     let appID = columns.string(at: 0)          // app_id
///     let collected = columns.timestamp(at: 3)   // collector_tstamp
/// }
/// ```
///
/// `column` is ``EnrichedEventField/index`` (0-based TSV position). Accessors read the stored
/// property in place (no key path, no copy of the 131-property struct) and return `nil` both for an
/// empty column and when the column's type is not the accessor's (`string(at:)` answers for
/// `.string` and `.json` columns).
///
/// Lifetime: the reader points into the event and is valid only inside the `withColumnReader`
/// closure; never store it or let it escape. Reading is thread-safe (the event is a value).
public struct EnrichedEventColumnReader {
    let base: UnsafeRawPointer

    /// The value of a `.string` or `.json` column.
    public func string(at column: Int) -> String? {
        let layout = EnrichedEventField.layout[column]
        guard layout.type == .string || layout.type == .json else { return nil }
        return layout.read(String.self, from: base)
    }

    /// The UTF-8 length of a `.string` or `.json` column, read in place (no copy of the string).
    public func stringUTF8Count(at column: Int) -> Int? {
        let layout = EnrichedEventField.layout[column]
        guard layout.type == .string || layout.type == .json else { return nil }
        return (base + layout.offset).assumingMemoryBound(to: String?.self).pointee?.utf8.count
    }

    /// The value of an `.integer` column.
    public func integer(at column: Int) -> Int? {
        let layout = EnrichedEventField.layout[column]
        guard layout.type == .integer else { return nil }
        return layout.read(Int.self, from: base)
    }

    /// The value of a `.double` column.
    public func double(at column: Int) -> Double? {
        let layout = EnrichedEventField.layout[column]
        guard layout.type == .double else { return nil }
        return layout.read(Double.self, from: base)
    }

    /// The value of a `.decimal` column.
    public func decimal(at column: Int) -> SnowplowDecimal? {
        let layout = EnrichedEventField.layout[column]
        guard layout.type == .decimal else { return nil }
        return layout.read(SnowplowDecimal.self, from: base)
    }

    /// The value of a `.boolean` column.
    public func boolean(at column: Int) -> Bool? {
        let layout = EnrichedEventField.layout[column]
        guard layout.type == .boolean else { return nil }
        return layout.read(Bool.self, from: base)
    }

    /// The value of a `.timestamp` column.
    public func timestamp(at column: Int) -> SnowplowTimestamp? {
        let layout = EnrichedEventField.layout[column]
        guard layout.type == .timestamp else { return nil }
        return layout.read(SnowplowTimestamp.self, from: base)
    }
}

extension EnrichedEvent {
    /// Calls `body` with a reader of this event's columns; see ``EnrichedEventColumnReader``.
    public func withColumnReader<Result>(_ body: (EnrichedEventColumnReader) throws -> Result) rethrows -> Result {
        try withColumns { try body(EnrichedEventColumnReader(base: $0)) }
    }
}
