import ArgumentParser
import Foundation
import Logging

/// The Kafka options of every service that uses Kafka (shipper, enricher, loader).
public struct KafkaOptions: ParsableArguments, Sendable {
    /// Comma-separated `host:port` list of brokers. Default: `127.0.0.1:9092`.
    @Option(help: "Comma-separated host:port list of Kafka brokers to bootstrap from.")
    public var kafkaBrokers: String = "127.0.0.1:9092"

    /// Extra librdkafka properties, `key=value` (repeatable; comma-separated in the environment), applied
    /// last to every client. Default: none.
    @Option(help: "Extra librdkafka property key=value for every Kafka client (repeatable; comma-separated in the environment).")
    public var kafkaProperty: [String] = []

    public init() {}

    /// The brokers as a list.
    public var bootstrapServers: [String] {
        kafkaBrokers.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The extra properties as a dictionary.
    public func additionalProperties() throws -> [String: String] {
        var properties: [String: String] = [:]
        for entry in kafkaProperty.flatMap({ $0.split(separator: ",") }) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--kafka-property must be key=value; got '\(entry)'")
            }
            properties[parts[0]] = parts[1]
        }
        return properties
    }

    /// Refuses a librdkafka runtime older than 2.2 (see ``KafkaRuntime``), logs the version in use, and
    /// returns the `/ready` check that the brokers answer.
    public func startKafka(logger: Logger) throws -> ReadinessCheck {
        try KafkaRuntime.requireSupportedVersion()
        logger.info("librdkafka runtime", metadata: ["component": "kafka", "version": "\(KafkaRuntime.versionString)", "brokers": "\(kafkaBrokers)"])
        var configuration = KafkaAdminConfiguration(bootstrapServers: bootstrapServers)
        configuration.additionalProperties = try additionalProperties()
        let admin = try KafkaAdmin(configuration: configuration, logger: logger)
        return ReadinessCheck("kafka") { _ = try await admin.checkReachability(timeout: .seconds(2)) }
    }
}
