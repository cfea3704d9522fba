import Shared

/// One column of the `events` table: its name, ClickHouse type, and how a row's value is encoded.
///
/// ``EventColumns/make(dialect:)`` builds the whole list, in table order, from
/// ``EnrichedEventField/all`` plus the flattened entity columns; the DDL, the insert's column list
/// and the RowBinary encoder all iterate that one list. Plain value; `Sendable`.
struct EventColumn: Sendable, Hashable {
    /// The column name, e.g. `collector_tstamp`, `collector_tstamp_ms`, `ua_family`.
    let name: String
    /// The ClickHouse type, e.g. `Nullable(Int32)`.
    let type: String
    /// Where the value comes from and how it is written in RowBinary.
    let encoding: Encoding

    /// Where a column's value comes from and its RowBinary shape. Payloads are plain integers (the
    /// enriched column index or an ``EntityField``), so the encoder loop retains nothing.
    enum Encoding: Sendable, Hashable {
        /// A `.string`/`.json` enriched column as `String` (`''` for empty).
        case string(column: Int)
        /// `event_id` as `UUID` (required; the row is rejected without a valid one).
        case uuid(column: Int)
        /// An `.integer` enriched column as `Nullable(Int32)`.
        case int32(column: Int)
        /// An `.integer` enriched column as `Nullable(Int64)`.
        case int64(column: Int)
        /// An `.integer` enriched column as `Nullable(UInt16)` (ports).
        case uint16(column: Int)
        /// A `.double` enriched column as `Nullable(Float64)`.
        case float64(column: Int)
        /// A `.decimal` enriched column as `Nullable(Decimal(38, 9))`.
        case decimal(column: Int)
        /// A `.boolean` enriched column as `Nullable(UInt8)`.
        case boolean(column: Int)
        /// A `.timestamp` enriched column (`Nullable` unless `required`): seconds on the legacy
        /// dialect (with a following ``milliseconds(column:)`` column), milliseconds on the current one.
        case timestamp(column: Int, required: Bool)
        /// The millisecond part (`UInt16`, 0 when empty) of a legacy-dialect timestamp column.
        case milliseconds(column: Int)
        /// A flattened entity value.
        case entity(EntityField)
        /// The millisecond part of a legacy-dialect entity timestamp.
        case entityMilliseconds(EntityField)
    }
}
