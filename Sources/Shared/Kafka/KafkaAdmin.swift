import CRdKafka
import Logging

/// Administrative requests: create and delete topics, read topic metadata, check that a broker answers
/// (the services' `/ready`).
///
/// Threading: all methods may be called from any task; each blocking librdkafka request runs on the
/// admin client's own ``BlockingExecutor``, one at a time.
/// Lifetime: the librdkafka handle lives as long as the `KafkaAdmin`.
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient
    private let executor: BlockingExecutor
    private let logger: Logger

    /// Creates the admin client. Connecting happens on the first request.
    ///
    /// - Throws: ``FreshetError/Code/kafkaRuntimeTooOld``, ``FreshetError/Code/kafkaInvalidConfiguration``
    ///   or ``FreshetError/Code/kafkaClientCreationFailed``.
    public init(configuration: KafkaAdminConfiguration, logger: Logger) throws {
        try KafkaRuntime.requireSupportedVersion()
        var logger = logger
        logger[metadataKey: "component"] = "kafka.admin"
        self.logger = logger
        client = try RDKafkaClient(
            kind: .producer,
            properties: configuration.librdkafkaProperties,
            callbacks: RDKafkaCallbacks(logger: logger, component: "kafka.admin")
        )
        executor = BlockingExecutor(label: "freshet.kafka.admin")
    }

    /// Creates `topic` with `partitions` partitions.
    ///
    /// - Returns: `true` when it was created, `false` when it already existed (its partition count is
    ///   then whatever it was).
    /// - Throws: ``FreshetError/Code/kafkaAdminFailed`` or a retriable
    ///   ``FreshetError/Code/kafkaBrokerUnreachable``.
    @discardableResult
    public func createTopic(
        _ topic: String, partitions: Int, replicationFactor: Int = 1, timeout: Duration = .seconds(10)
    ) async throws -> Bool {
        let client = client
        let results = try await executor.run {
            defer { _ = client.poll(timeoutMilliseconds: 0) }  // serve log lines
            return try client.createTopics(
                [(topic, Int32(clamping: partitions), Int32(clamping: replicationFactor))],
                timeoutMilliseconds: Int32(clamping: timeout.wholeMilliseconds)
            )
        }
        guard let result = results.first(where: { $0.topic == topic }) else {
            throw FreshetError(
                .kafkaAdminFailed, "no result for topic '\(topic)' in the CreateTopics answer", retriable: true)
        }
        switch result.error {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            logger.info("Kafka topic created", metadata: ["topic": "\(topic)", "kafka.partitions": "\(partitions)"])
            return true
        case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
            return false
        default:
            throw FreshetError.kafka(
                .kafkaAdminFailed, "could not create topic '\(topic)'", error: result.error, reason: result.message)
        }
    }

    /// Deletes `topic`. A topic that does not exist is not an error.
    public func deleteTopic(_ topic: String, timeout: Duration = .seconds(10)) async throws {
        let client = client
        let results = try await executor.run {
            defer { _ = client.poll(timeoutMilliseconds: 0) }
            return try client.deleteTopics([topic], timeoutMilliseconds: Int32(clamping: timeout.wholeMilliseconds))
        }
        if let result = results.first(where: { $0.topic == topic }),
            result.error != RD_KAFKA_RESP_ERR_NO_ERROR, result.error != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
        {
            throw FreshetError.kafka(
                .kafkaAdminFailed, "could not delete topic '\(topic)'", error: result.error, reason: result.message)
        }
    }

    /// The metadata of `topic`, or `nil` when the cluster does not know it. Never creates the topic.
    public func topicMetadata(_ topic: String, timeout: Duration = .seconds(5)) async throws -> KafkaTopicMetadata? {
        let client = client
        return try await executor.run {
            try client.withMetadata(allTopics: true, timeoutMilliseconds: Int32(clamping: timeout.wholeMilliseconds)) {
                metadata in
                let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
                guard let found = topics.first(where: { $0.topic.map { String(cString: $0) } == topic }),
                    found.err == RD_KAFKA_RESP_ERR_NO_ERROR
                else { return nil }
                let partitions = UnsafeBufferPointer(start: found.partitions, count: Int(found.partition_cnt))
                return KafkaTopicMetadata(name: topic, partitions: partitions.map(\.id).sorted())
            }
        }
    }

    /// Succeeds when a broker answers a metadata request within `timeout`; returns how many brokers the
    /// cluster reports. Use it for readiness checks.
    ///
    /// - Throws: a retriable ``FreshetError/Code/kafkaBrokerUnreachable``.
    @discardableResult
    public func checkReachability(timeout: Duration = .seconds(2)) async throws -> Int {
        let client = client
        return try await executor.run {
            try client.withMetadata(allTopics: false, timeoutMilliseconds: Int32(clamping: timeout.wholeMilliseconds)) {
                Int($0.pointee.broker_cnt)
            }
        }
    }
}
