import ArgumentParser
import Foundation
import Shared

/// The `shipper` executable: Follows the collector's log files through rotation and ships each record to Kafka, at least once.
struct ShipperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shipper",
        abstract: "Follows the collector's log files through rotation and ships each record to Kafka, at least once.",
        discussion: FreshetCommandLine.environmentHelp,
        version: FreshetVersion.current
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var kafka: KafkaOptions

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "shipper", options: common)
        let kafkaReady = try kafka.startKafka(logger: logger)
        let admin = AdminServer(
            configuration: ServiceBootstrap.adminConfiguration(service: "shipper", options: common),
            service: "shipper", checks: [kafkaReady], logger: logger)
        try await ServiceRunner.run([admin], logger: logger)
    }
}

/// Entry point: options may also come from `FRESHET_*` environment variables.
@main
enum ShipperMain {
    static func main() async {
        await ShipperCommand.main(
            FreshetCommandLine.arguments(for: ShipperCommand.self, environment: ProcessInfo.processInfo.environment))
    }
}
