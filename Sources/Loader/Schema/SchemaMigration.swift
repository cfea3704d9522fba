/// One versioned step of the loader's ClickHouse schema: the DDL it runs, per dialect.
///
/// Statements must be idempotent (`CREATE … IF NOT EXISTS`): two loaders starting at once may both
/// run a step before either recorded it. A released migration never changes; a schema change is a
/// new migration with the next version. Pure value; `Sendable`.
struct SchemaMigration: Sendable {
    /// Strictly increasing, starting at 1.
    let version: Int
    /// A short name, recorded with the version, e.g. `create_events`.
    let name: String
    /// The statements for a database and dialect, run in order.
    let statements: @Sendable (_ database: String, _ dialect: ClickHouseDialect) -> [String]
}
