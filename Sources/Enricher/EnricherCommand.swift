import ArgumentParser
import Foundation
import Shared

/// The `enricher` executable: Validates and enriches raw events from Kafka, keeps visitor profiles in Redis, emits enriched events and bad rows.
struct EnricherCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enricher",
        abstract: "Validates and enriches raw events from Kafka, keeps visitor profiles in Redis, emits enriched events and bad rows.",
        discussion: FreshetCommandLine.environmentHelp,
        version: FreshetVersion.current
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var redis: RedisOptions

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "enricher", options: common)
        let kafkaReady = try kafka.startKafka(logger: logger)
        let (_, redisReady) = redis.startRedis(logger: logger)
        let admin = AdminServer(
            configuration: ServiceBootstrap.adminConfiguration(service: "enricher", options: common),
            service: "enricher", checks: [kafkaReady, redisReady], logger: logger)
        try await ServiceRunner.run([admin], logger: logger)
    }
}

/// Entry point: options may also come from `FRESHET_*` environment variables.
@main
enum EnricherMain {
    static func main() async {
        await EnricherCommand.main(
            FreshetCommandLine.arguments(for: EnricherCommand.self, environment: ProcessInfo.processInfo.environment))
    }
}
