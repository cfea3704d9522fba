import Shared

/// Where ``BatchInserter`` sends encoded rows: one ClickHouse table (``ClickHouseTable``), or a stand-in
/// in unit tests of the retry and bisection logic.
protocol RowInsertTarget: Sendable {
    /// Inserts `rows` (RowBinary) in one request; `token` identifies exactly these rows.
    func insert(rows: [UInt8], token: String) async throws
}

/// A table of the loader's database, inserted into with `INSERT INTO db.table (columns) FORMAT
/// RowBinary` and the dialect's deduplication settings. `Sendable`; requests may overlap.
struct ClickHouseTable: RowInsertTarget {
    let client: ClickHouseClient
    let name: String
    let columns: [String]
    let dialect: ClickHouseDialect

    func insert(rows: [UInt8], token: String) async throws {
        try await client.insert(
            into: name, columns: columns, format: "RowBinary", body: .bytes(rows),
            settings: dialect.insertSettings(token: token))
    }
}
