import Logging
import Shared

/// Creates the loader's database and brings its schema up to the latest ``SchemaMigrations`` version,
/// recording each applied step in `<database>.freshet_schema_migrations` (version, name, dialect,
/// time).
///
/// The dialect is chosen from `SELECT version()` when the schema is first created and read back from
/// the record afterwards, so the loader always encodes rows for the tables as they exist.
///
/// Threading: `migrate()` is `async` and may be called from any task; run it before loading.
struct SchemaMigrator: Sendable {
    let client: ClickHouseClient
    let database: String
    let migrations: [SchemaMigration]
    let logger: Logger

    init(client: ClickHouseClient, database: String, migrations: [SchemaMigration] = SchemaMigrations.all, logger: Logger) {
        self.client = client
        self.database = database
        self.migrations = migrations
        self.logger = logger
    }

    /// The outcome: the schema's dialect and the versions applied by this call.
    struct Outcome: Sendable, Equatable {
        var dialect: ClickHouseDialect
        var applied: [Int]
    }

    /// Applies every migration not recorded yet, in order.
    ///
    /// - Throws: ``FreshetError/Code/loaderInvalidDatabase`` for a database name that is not a plain
    ///   identifier; ClickHouse errors (retriable when the server is unreachable).
    func migrate() async throws -> Outcome {
        guard Self.isIdentifier(database) else {
            throw FreshetError(.loaderInvalidDatabase, "ClickHouse database name '\(database)' must be letters, digits and underscores")
        }
        try await client.execute("CREATE DATABASE IF NOT EXISTS \(database)")
        try await client.execute(
            """
            CREATE TABLE IF NOT EXISTS \(database).freshet_schema_migrations (
                version UInt32, name String, dialect String, applied_at DateTime('UTC')
            ) ENGINE = MergeTree() ORDER BY version
            """)
        let rows = try await client.query("SELECT version, dialect FROM \(database).freshet_schema_migrations ORDER BY version")
            .tabSeparatedRows()
        var applied = Set<Int>()
        var recordedDialect: ClickHouseDialect?
        for row in rows where row.count == 2 {
            guard let version = row[0].flatMap({ Int($0) }) else { continue }
            applied.insert(version)
            if recordedDialect == nil { recordedDialect = row[1].flatMap(ClickHouseDialect.init(rawValue:)) }
        }
        let dialect: ClickHouseDialect
        if let recordedDialect {
            dialect = recordedDialect
        } else {
            let version = try await client.serverVersion()
            dialect = ClickHouseDialect(serverVersion: version)
            logger.info("creating the ClickHouse schema", metadata: ["clickhouse.version": "\(version)", "clickhouse.dialect": "\(dialect.rawValue)"])
        }
        var newlyApplied: [Int] = []
        for migration in migrations where !applied.contains(migration.version) {
            for statement in migration.statements(database, dialect) {
                do {
                    try await client.execute(statement, settings: dialect.ddlSettings)
                } catch let error as FreshetError where Self.alreadyExistsCodes.contains(error.clickHouseServerError?.code ?? 0) {
                    // Another loader created it between IF NOT EXISTS's check and the creation (18.16).
                    logger.debug("schema object already created by another loader", metadata: ["error.message": "\(error)"])
                }
            }
            try await client.execute(
                "INSERT INTO \(database).freshet_schema_migrations (version, name, dialect, applied_at) VALUES (\(migration.version), '\(migration.name)', '\(dialect.rawValue)', now())"
            )
            newlyApplied.append(migration.version)
            logger.info(
                "schema migration applied",
                metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)", "clickhouse.database": "\(database)"])
        }
        return Outcome(dialect: dialect, applied: newlyApplied)
    }

    /// TABLE_ALREADY_EXISTS, DATABASE_ALREADY_EXISTS.
    static let alreadyExistsCodes: Set<Int> = [57, 82]

    static func isIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.first.map({ !(0x30...0x39).contains($0) }) == true
            && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }
}
