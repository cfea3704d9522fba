import Foundation
import FreshetTestSupport
import Logging
import Testing

@testable import Shared

/// Shared helpers for the Kafka integration tests: the broker from `FRESHET_TEST_KAFKA_BROKERS`
/// (default 127.0.0.1:9092), one fresh topic per test created through the Admin API, consumer settings
/// that suit Tansu's ~3 s group join.
enum KafkaTestCluster {
    static var brokers: [String] { TestEnvironment.kafkaBrokers.split(separator: ",").map(String.init) }

    static var logger: Logger {
        var logger = Logger(label: "freshet.tests.kafka")
        logger.logLevel = .warning
        return logger
    }

    static func admin() throws -> KafkaAdmin {
        try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: brokers), logger: logger)
    }

    static func producer(_ adjust: (inout KafkaProducerConfiguration) -> Void = { _ in }) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(bootstrapServers: brokers)
        configuration.deliveryTimeout = .seconds(30)
        adjust(&configuration)
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    static func consumer(group: String, _ adjust: (inout KafkaConsumerConfiguration) -> Void = { _ in }) throws
        -> KafkaConsumer
    {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: brokers, groupID: group)
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .seconds(1)
        configuration.maximumPollInterval = .seconds(30)
        adjust(&configuration)
        return try KafkaConsumer(configuration: configuration, logger: logger)
    }

    /// Runs `body` with a new topic of `partitions` partitions, deleted afterwards.
    static func withTopic<T>(
        partitions: Int, _ name: String = "kafka_test", _ body: (String) async throws -> T
    ) async throws -> T {
        let topic = TestEnvironment.uniqueName(name)
        let admin = try admin()
        #expect(try await admin.createTopic(topic, partitions: partitions))
        do {
            let result = try await body(topic)
            try? await admin.deleteTopic(topic)
            return result
        } catch {
            try? await admin.deleteTopic(topic)
            throw error
        }
    }

    /// Polls until `count` records arrived. The deadline only stops a broken run from hanging; the
    /// loop ends as soon as the records are there.
    static func read(
        _ count: Int, from consumer: KafkaConsumer, deadline: Duration = .seconds(60)
    ) async throws -> [KafkaConsumerRecord] {
        var records: [KafkaConsumerRecord] = []
        let end = ContinuousClock.now + deadline
        while records.count < count, ContinuousClock.now < end {
            records += try await consumer.poll()
        }
        return records
    }

    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
}

@Suite("Kafka admin against the real broker", .timeLimit(.minutes(2)))
struct KafkaIntegrationTests {
    @Test func createsDescribesAndDeletesTopics() async throws {
        let admin = try KafkaTestCluster.admin()
        let topic = TestEnvironment.uniqueName("kafka_admin")
        #expect(try await admin.topicMetadata(topic) == nil, "metadata lookups must not create topics")
        #expect(try await admin.createTopic(topic, partitions: 5))
        #expect(
            try await admin.createTopic(topic, partitions: 5) == false, "an existing topic is reported, not an error")
        let metadata = try #require(try await admin.topicMetadata(topic))
        #expect(metadata.partitions == [0, 1, 2, 3, 4])
        try await admin.deleteTopic(topic)
        #expect(try await admin.topicMetadata(topic) == nil)
    }

    @Test func reachabilityReportsTheBroker() async throws {
        #expect(try await KafkaTestCluster.admin().checkReachability() >= 1)
    }

    @Test func reachabilityFailsRetriablyWithoutBroker() async throws {
        let admin = try KafkaAdmin(
            configuration: KafkaAdminConfiguration(bootstrapServers: ["127.0.0.1:1"]), logger: KafkaTestCluster.logger)
        let error = try await #require(throws: FreshetError.self) {
            try await admin.checkReachability(timeout: .milliseconds(500))
        }
        #expect(error.code == .kafkaBrokerUnreachable)
        #expect(error.isRetriable)
    }

    @Test func loadedRuntimeIsSupported() throws {
        // The tests run with a librdkafka ≥ 2.2 first on LD_LIBRARY_PATH; the services' start check passes.
        try KafkaRuntime.requireSupportedVersion()
        #expect(KafkaRuntime.version >= KafkaRuntime.minimumVersion)
    }

    @Test func debianRuntimeIsRefusedWithTheFix() throws {
        // Independent oracle: the version Debian's own librdkafka.so.1 reports, read in a child process
        // (Python ctypes) that does not inherit our library path.
        let debianLibrary = "/usr/lib/x86_64-linux-gnu/librdkafka.so.1"
        try #require(FileManager.default.fileExists(atPath: debianLibrary))
        let output = try ChildProcess.python(
            "import ctypes, sys; print(ctypes.CDLL(sys.argv[1]).rd_kafka_version())", arguments: [debianLibrary]
        )
        #expect(output.status == 0, "\(output.stderrText)")
        let encoded = try #require(Int64(output.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)))
        let version = KafkaRuntimeVersion(encoded: Int32(truncatingIfNeeded: encoded))
        #expect(version < KafkaRuntime.minimumVersion)
        let error = try #require(throws: FreshetError.self) { try KafkaRuntime.requireSupported(version) }
        #expect(error.code == .kafkaRuntimeTooOld)
        #expect(error.message.contains(version.description))
        #expect(error.message.contains("LD_LIBRARY_PATH"))
    }
}
