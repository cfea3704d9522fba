import Shared
import Testing

@testable import Loader

@Suite struct SchemaMigrationsTests {
    @Test func versionsStartAtOneAndIncreaseByOne() {
        #expect(SchemaMigrations.all.map(\.version) == Array(1...SchemaMigrations.all.count))
        #expect(Set(SchemaMigrations.all.map(\.name)).count == SchemaMigrations.all.count)
    }

    @Test(arguments: ClickHouseDialect.allCases) func everyStatementIsIdempotentAndQualified(dialect: ClickHouseDialect) {
        for migration in SchemaMigrations.all {
            for statement in migration.statements("db_x", dialect) {
                #expect(statement.contains("IF NOT EXISTS"), "\(migration.name)")
                #expect(statement.contains("db_x."), "\(migration.name)")
            }
        }
    }

    @Test(arguments: ClickHouseDialect.allCases) func theEventsTableHasEveryEnrichedColumn(dialect: ClickHouseDialect) throws {
        let ddl = try #require(SchemaMigrations.all.first?.statements("db", dialect).first)
        for field in EnrichedEventField.all {
            #expect(ddl.contains("`\(field.name)` "), "\(field.name)")
        }
        for entity in EntityField.allCases {
            #expect(ddl.contains("`\(entity.columnName)` "), "\(entity.columnName)")
        }
        #expect(ddl.contains("`event_id` UUID"))
        #expect(ddl.contains("ReplacingMergeTree"))
        #expect(ddl.contains("PARTITION BY toYYYYMM(collector_tstamp)"))
    }

    @Test func typesFollowTheDialect() throws {
        let legacy = SchemaMigrations.all.flatMap { $0.statements("db", .legacy) }.joined(separator: "\n")
        let current = SchemaMigrations.all.flatMap { $0.statements("db", .current) }.joined(separator: "\n")
        #expect(!legacy.contains("LowCardinality") && !legacy.contains("DateTime64") && !legacy.contains("deduplication_window"))
        #expect(legacy.contains("`collector_tstamp_ms` UInt16"))
        #expect(current.contains("`collector_tstamp` DateTime64(3, 'UTC')"))
        #expect(current.contains("`app_id` LowCardinality(String)"))
        #expect(current.contains("non_replicated_deduplication_window"))
        #expect(!current.contains("_ms` UInt16"))
    }

    @Test func choosesTheDialectFromTheServerVersion() {
        #expect(ClickHouseDialect(serverVersion: "18.16.1") == .legacy)
        #expect(ClickHouseDialect(serverVersion: "22.2.1.1") == .legacy)
        #expect(ClickHouseDialect(serverVersion: "22.3.2.2") == .current)
        #expect(ClickHouseDialect(serverVersion: "24.8.4.13") == .current)
        #expect(ClickHouseDialect(serverVersion: "garbage") == .legacy)
        #expect(ClickHouseDialect.legacy.insertSettings(token: "t").isEmpty)
        #expect(ClickHouseDialect.current.insertSettings(token: "t")["insert_deduplication_token"] == "t")
    }

    @Test func databaseNamesMustBeIdentifiers() {
        #expect(SchemaMigrator.isIdentifier("freshet_1"))
        #expect(!SchemaMigrator.isIdentifier("1abc"))
        #expect(!SchemaMigrator.isIdentifier("a; DROP TABLE x"))
        #expect(!SchemaMigrator.isIdentifier(""))
    }
}
