import CRdKafka
import Logging

/// Owns one `rd_kafka_t` (a producer or consumer handle) and the callbacks object registered with it.
///
/// librdkafka's log lines and client errors are routed to the callbacks object's swift-log `Logger`:
/// `log.queue=true` keeps librdkafka's internal threads from calling into Swift; the lines wait in
/// the main queue and are served, with the other callbacks, by whichever thread polls the handle.
///
/// `@unchecked Sendable`: the pointer never changes and the librdkafka functions this wrapper calls on
/// it are documented as thread-safe. The handle is destroyed in `deinit`, before `callbacks` (which
/// the C callbacks reach through the opaque) is released.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer
        case consumer

        var cType: rd_kafka_type_t { self == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER }
    }

    private let handle: OpaquePointer
    let callbacks: RDKafkaCallbacks

    /// Creates the handle from `properties`. `deliveryReports` registers the producer's delivery
    /// report callback; a consumer gets its rebalance callback when `callbacks.rebalance` is set and
    /// its main queue redirected to the consumer queue (`rd_kafka_poll_set_consumer`).
    init(
        kind: Kind,
        properties: [(key: String, value: String)],
        callbacks: RDKafkaCallbacks,
        deliveryReports: (
            @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void
        )? = nil
    ) throws {
        let config = try RDKafkaConfig(properties: properties)
        try config.set("log.queue", "true")
        config.withPointer { conf in
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(callbacks).toOpaque())
            rd_kafka_conf_set_log_cb(conf, rdKafkaLogCallback)
            rd_kafka_conf_set_error_cb(conf, rdKafkaErrorCallback)
            if let deliveryReports { rd_kafka_conf_set_dr_msg_cb(conf, deliveryReports) }
            if kind == .consumer, callbacks.rebalance != nil {
                rd_kafka_conf_set_rebalance_cb(conf, rdKafkaRebalanceCallback)
            }
        }
        var message = [CChar](repeating: 0, count: 512)
        guard let handle = config.handOver({ conf in rd_kafka_new(kind.cType, conf, &message, message.count) }) else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw FreshetError(.kafkaClientCreationFailed, "rd_kafka_new failed: \(reason)", retriable: false)
        }
        self.handle = handle
        self.callbacks = callbacks
        // NULL: forward librdkafka's log lines to the main queue, served by rd_kafka_poll (producer)
        // or, after rd_kafka_poll_set_consumer, by rd_kafka_consumer_poll.
        _ = rd_kafka_set_log_queue(handle, nil)
        if kind == .consumer { _ = rd_kafka_poll_set_consumer(handle) }
    }

    deinit {
        rd_kafka_destroy(handle)
    }

    /// Runs `body` with the raw handle. Do not escape the pointer from the closure.
    @inline(__always)
    func withHandle<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try body(handle)
    }

    /// Serves queued callbacks (delivery reports, logs, errors) for up to `timeoutMilliseconds`;
    /// returns how many events were served. Blocking: call it from a dedicated thread only.
    func poll(timeoutMilliseconds: Int32) -> Int32 {
        rd_kafka_poll(handle, timeoutMilliseconds)
    }

    /// Makes a blocking ``poll(timeoutMilliseconds:)`` on another thread return early.
    func wakeUp() {
        rd_kafka_yield(handle)
    }

    /// Records handed to librdkafka and not yet delivered or failed (`rd_kafka_outq_len`).
    var outstandingCount: Int32 {
        rd_kafka_outq_len(handle)
    }

    /// Cluster metadata without topics (`all_topics=0`) or of every topic. Blocking.
    func withMetadata<T>(
        allTopics: Bool, timeoutMilliseconds: Int32, _ body: (UnsafePointer<rd_kafka_metadata>) throws -> T
    ) throws -> T {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(handle, allTopics ? 1 : 0, nil, &metadata, timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw FreshetError(
                .kafkaBrokerUnreachable,
                "no Kafka broker answered a metadata request within \(timeoutMilliseconds) ms: "
                    + "\(RDKafkaResponse.describe(error)). Check that the brokers in bootstrap.servers are up and reachable",
                retriable: true
            )
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        return try body(metadata)
    }
}
