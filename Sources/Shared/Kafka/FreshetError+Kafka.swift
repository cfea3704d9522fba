import CRdKafka

extension FreshetError.Code {
    /// The librdkafka loaded at run time is older than ``KafkaRuntime/minimumVersion``.
    public static let kafkaRuntimeTooOld: Self = "kafka.runtime_too_old"
    /// A librdkafka property was unknown or had an invalid value.
    public static let kafkaInvalidConfiguration: Self = "kafka.invalid_configuration"
    /// librdkafka refused to create a client handle (`rd_kafka_new`).
    public static let kafkaClientCreationFailed: Self = "kafka.client_creation_failed"
    /// A record could not be handed to librdkafka (`rd_kafka_produceva` failed for a reason other
    /// than a full queue, which is waited out).
    public static let kafkaEnqueueFailed: Self = "kafka.enqueue_failed"
    /// The broker did not acknowledge a record (its delivery report carried an error).
    public static let kafkaDeliveryFailed: Self = "kafka.delivery_failed"
    /// Fetching records for a consumer failed.
    public static let kafkaConsumeFailed: Self = "kafka.consume_failed"
    /// Storing or committing consumer offsets failed.
    public static let kafkaCommitFailed: Self = "kafka.commit_failed"
    /// Moving a consumer's fetch position (``KafkaConsumer/seek(to:timeout:)``) failed.
    public static let kafkaSeekFailed: Self = "kafka.seek_failed"
    /// Subscribing a consumer to its topics failed.
    public static let kafkaSubscribeFailed: Self = "kafka.subscribe_failed"
    /// An administrative request (create topic, metadata) failed.
    public static let kafkaAdminFailed: Self = "kafka.admin_failed"
    /// No broker answered within the deadline.
    public static let kafkaBrokerUnreachable: Self = "kafka.broker_unreachable"
    /// The producer or consumer was already shut down.
    public static let kafkaClosed: Self = "kafka.closed"
}

extension FreshetError {
    /// Wraps a librdkafka response code, putting librdkafka's own name and text in the message.
    static func kafka(
        _ code: Code, _ what: String, error: rd_kafka_resp_err_t, reason: String? = nil
    ) -> FreshetError {
        FreshetError(
            code,
            "\(what): \(RDKafkaResponse.describe(error))" + (reason.map { " — \($0)" } ?? ""),
            retriable: RDKafkaResponse.isRetriable(error)
        )
    }
}

/// Helpers around `rd_kafka_resp_err_t`, librdkafka's error code.
enum RDKafkaResponse {
    /// `"_MSG_TIMED_OUT (Local: Message timed out)"`: librdkafka's name for the code and its text.
    static func describe(_ error: rd_kafka_resp_err_t) -> String {
        "\(String(cString: rd_kafka_err2name(error))) (\(String(cString: rd_kafka_err2str(error))))"
    }

    /// Whether an operation that failed with `error` may succeed when tried again later (the broker was
    /// away, a deadline passed, the local queue was full, the client was shutting down) as opposed to
    /// needing a human (bad configuration, a record too large, an authorisation failure).
    static func isRetriable(_ error: rd_kafka_resp_err_t) -> Bool {
        switch error {
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE,
            RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__QUEUE_FULL,
            RD_KAFKA_RESP_ERR__RESOLVE, RD_KAFKA_RESP_ERR__PURGE_QUEUE, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT,
            RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR__IN_PROGRESS, RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR__NODE_UPDATE,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
            RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
            RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
            RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
            return true
        default:
            return false
        }
    }
}
