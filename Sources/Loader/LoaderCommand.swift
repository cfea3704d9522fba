import ArgumentParser
import Foundation
import Shared

/// The `loader` executable: Loads enriched events from Kafka into ClickHouse in batches, committing offsets only after ClickHouse accepted them.
struct LoaderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loader",
        abstract: "Loads enriched events from Kafka into ClickHouse in batches, committing offsets only after ClickHouse accepted them.",
        discussion: FreshetCommandLine.environmentHelp,
        version: FreshetVersion.current
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var clickhouse: ClickHouseOptions

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "loader", options: common)
        let kafkaReady = try kafka.startKafka(logger: logger)
        let (_, clickhouseReady) = clickhouse.startClickHouse(logger: logger)
        let admin = AdminServer(
            configuration: ServiceBootstrap.adminConfiguration(service: "loader", options: common),
            service: "loader", checks: [kafkaReady, clickhouseReady], logger: logger)
        try await ServiceRunner.run([admin], logger: logger)
    }
}

/// Entry point: options may also come from `FRESHET_*` environment variables.
@main
enum LoaderMain {
    static func main() async {
        await LoaderCommand.main(
            FreshetCommandLine.arguments(for: LoaderCommand.self, environment: ProcessInfo.processInfo.environment))
    }
}
