/// The two families of ClickHouse servers the loader's DDL, encoding and queries target.
///
/// Chosen once, when the schema is first created, from `SELECT version()`, and recorded with every
/// applied migration, so a loader started later (even against an upgraded server) keeps encoding rows
/// for the tables as they were created.
///
/// | | ``legacy`` (before 22.3, e.g. Debian's 18.16) | ``current`` (22.3 and later) |
/// |---|---|---|
/// | timestamps | `DateTime('UTC')` + `<name>_ms UInt16` | `DateTime64(3, 'UTC')` |
/// | low-cardinality text | `String` (18.16's experimental `LowCardinality` breaks materialized views) | `LowCardinality(String)` |
/// | insert deduplication | none for non-replicated tables | `non_replicated_deduplication_window` + `insert_deduplication_token` |
///
/// Pure value; `Sendable`.
enum ClickHouseDialect: String, Sendable, Hashable, CaseIterable {
    case legacy
    case current

    /// The dialect for a server version string such as `18.16.1` or `24.8.4.13`; an unreadable
    /// version is treated as ``legacy`` (the DDL that works everywhere).
    init(serverVersion: String) {
        let parts = serverVersion.split(separator: ".").map { Int($0) ?? 0 }
        let major = parts.first ?? 0
        let minor = parts.count > 1 ? parts[1] : 0
        self = (major, minor) >= (22, 3) ? .current : .legacy
    }

    /// Whether a timestamp needs a separate millisecond column (no `DateTime64` in the schema).
    var splitsMilliseconds: Bool { self == .legacy }

    /// The type of a timestamp column (`nullable` wraps it in `Nullable`).
    func timestampType(nullable: Bool) -> String {
        let base = self == .current ? "DateTime64(3, 'UTC')" : "DateTime('UTC')"
        return nullable ? "Nullable(\(base))" : base
    }

    /// The type of a short, repetitive text column (app ids, event names, countries, browsers…).
    var lowCardinalityString: String { self == .current ? "LowCardinality(String)" : "String" }

    /// `SETTINGS …` appended to the events and bad-rows tables' DDL: block deduplication of
    /// retried inserts where the server has it for non-replicated tables.
    var mergeTreeSettings: String {
        self == .current ? " SETTINGS non_replicated_deduplication_window = 1000" : ""
    }

    /// Settings for every DDL statement.
    var ddlSettings: [String: String] { [:] }

    /// Settings of one insert whose rows are identified by `token` (the Kafka offsets it carries), so
    /// a retry of the very same block is dropped by the server where it supports that.
    func insertSettings(token: String) -> [String: String] {
        switch self {
        case .legacy: [:]
        case .current: ["insert_deduplicate": "1", "insert_deduplication_token": token]
        }
    }

    /// Settings of a streamed insert (``InsertMode/streamed``): none — its offsets are not known when
    /// the request starts, so there is no token; current servers still drop a block identical to
    /// one of the table's last `non_replicated_deduplication_window` blocks.
    var streamedInsertSettings: [String: String] { [:] }

    /// SQL for the Unix time in milliseconds of timestamp column `column` of the events table.
    func epochMilliseconds(_ column: String) -> String {
        switch self {
        case .legacy: "(toUInt64(toUInt32(\(column))) * 1000 + \(column)_ms)"
        case .current: "toUnixTimestamp64Milli(\(column))"
        }
    }
}
