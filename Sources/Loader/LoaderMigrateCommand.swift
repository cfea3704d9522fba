import ArgumentParser
import Logging
import Shared

/// `loader migrate`: create the database and bring the schema up to date, then exit.
struct LoaderMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the ClickHouse database and apply the schema migrations not applied yet, then exit.",
        discussion: FreshetCommandLine.environmentHelp
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var clickhouse: ClickHouseOptions

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "loader", options: common)
        let (client, _) = LoaderRunCommand.startClickHouse(clickhouse, logger: logger)
        let outcome = try await SchemaMigrator(client: client, database: clickhouse.clickhouseDatabase, logger: logger).migrate()
        print("schema of \(clickhouse.clickhouseDatabase) is up to date (dialect \(outcome.dialect.rawValue); applied now: \(outcome.applied.map(String.init).joined(separator: ",")))")
    }
}
