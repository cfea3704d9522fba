import Testing

@testable import Shared

@Suite("Kafka configuration → librdkafka properties")
struct KafkaConfigurationTests {
    private func dictionary(_ properties: [(key: String, value: String)]) -> [String: String] {
        // Later entries win, as they do when applied in order.
        Dictionary(properties.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    @Test func producerDefaultsAreDurableAndIdempotent() throws {
        let configuration = KafkaProducerConfiguration(bootstrapServers: ["a:9092", "b:9092"])
        let properties = dictionary(configuration.librdkafkaProperties)
        #expect(properties["bootstrap.servers"] == "a:9092,b:9092")
        #expect(properties["acks"] == "all")
        #expect(properties["enable.idempotence"] == "true")
        #expect(properties["compression.codec"] == "lz4")
        #expect(properties["linger.ms"] == "5")
        #expect(properties["message.timeout.ms"] == "300000")
        #expect(properties["queue.buffering.max.messages"] == "100000")

        // librdkafka itself accepts every default and reads them back in its own form.
        let config = try RDKafkaConfig(properties: configuration.librdkafkaProperties)
        #expect(config.value(forKey: "acks") == "-1")  // librdkafka's spelling of "all"
        #expect(config.value(forKey: "enable.idempotence") == "true")
        #expect(config.value(forKey: "compression.codec") == "lz4")
        #expect(config.value(forKey: "linger.ms") == "5")
        #expect(config.value(forKey: "bootstrap.servers") == "a:9092,b:9092")
    }

    @Test func producerFieldsAndEscapeHatchReachLibrdkafka() throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: ["k:1"])
        configuration.compression = .zstd
        configuration.linger = .milliseconds(20)
        configuration.deliveryTimeout = .seconds(3)
        configuration.maximumQueuedRecords = 1234
        configuration.additionalProperties = ["socket.keepalive.enable": "true", "linger.ms": "7"]
        let config = try RDKafkaConfig(properties: configuration.librdkafkaProperties)
        #expect(config.value(forKey: "compression.codec") == "zstd")
        #expect(config.value(forKey: "message.timeout.ms") == "3000")
        #expect(config.value(forKey: "queue.buffering.max.messages") == "1234")
        #expect(config.value(forKey: "socket.keepalive.enable") == "true")
        #expect(config.value(forKey: "linger.ms") == "7", "the escape hatch overrides the typed field")
    }

    @Test func consumerNeverStoresOffsetsByItself() throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: ["k:1"], groupID: "enricher")
        configuration.sessionTimeout = .seconds(6)
        configuration.maximumPollInterval = .seconds(30)
        configuration.autoCommit = false
        configuration.additionalProperties = ["enable.auto.offset.store": "true", "fetch.min.bytes": "10"]
        let config = try RDKafkaConfig(properties: configuration.librdkafkaProperties)
        #expect(config.value(forKey: "group.id") == "enricher")
        #expect(config.value(forKey: "enable.auto.offset.store") == "false")
        #expect(config.value(forKey: "enable.auto.commit") == "false")
        #expect(config.value(forKey: "session.timeout.ms") == "6000")
        #expect(config.value(forKey: "max.poll.interval.ms") == "30000")
        #expect(config.value(forKey: "auto.offset.reset") == "smallest")  // librdkafka's spelling of "earliest"
        #expect(config.value(forKey: "fetch.min.bytes") == "10")
    }

    @Test func unknownPropertyIsNamedInTheError() throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: ["k:1"])
        configuration.additionalProperties = ["no.such.property": "1"]
        let error = try #require(throws: FreshetError.self) {
            try RDKafkaConfig(properties: configuration.librdkafkaProperties)
        }
        #expect(error.code == .kafkaInvalidConfiguration)
        #expect(error.message.contains("'no.such.property'"))
        #expect(error.message.contains("No such configuration property"), "librdkafka's own text: \(error.message)")
        #expect(!error.isRetriable)
    }

    @Test func invalidValueIsNamedInTheError() throws {
        let error = try #require(throws: FreshetError.self) {
            try RDKafkaConfig(properties: [("acks", "banana")])
        }
        #expect(error.code == .kafkaInvalidConfiguration)
        #expect(error.message.contains("'acks'"))
        #expect(error.message.contains("banana"))
        #expect(error.message.lowercased().contains("invalid value"), "librdkafka's own text: \(error.message)")
    }

    @Test func syslogLevelsMapToSwiftLog() {
        #expect(RDKafkaCallbacks.logLevel(syslogLevel: 0) == .critical)
        #expect(RDKafkaCallbacks.logLevel(syslogLevel: 2) == .critical)
        #expect(RDKafkaCallbacks.logLevel(syslogLevel: 3) == .error)
        #expect(RDKafkaCallbacks.logLevel(syslogLevel: 4) == .warning)
        #expect(RDKafkaCallbacks.logLevel(syslogLevel: 5) == .notice)
        #expect(RDKafkaCallbacks.logLevel(syslogLevel: 6) == .info)
        #expect(RDKafkaCallbacks.logLevel(syslogLevel: 7) == .debug)
    }
}
