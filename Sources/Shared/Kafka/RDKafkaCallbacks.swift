import CRdKafka
import Logging
import Metrics

/// What a client's librdkafka callbacks need: the logger, the error counter and, for consumers, the
/// rebalance handler. Registered as the client's opaque (`rd_kafka_conf_set_opaque`) and owned by the
/// `RDKafkaClient`, which destroys its `rd_kafka_t` before releasing this object.
///
/// `@unchecked Sendable`: every stored property is immutable after `init` and itself thread-safe;
/// librdkafka calls the callbacks from the thread that polls (our dedicated poll thread or the
/// consumer's executor), never concurrently with the object's creation.
final class RDKafkaCallbacks: @unchecked Sendable {
    /// Reacts to `RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS` / `__REVOKE_PARTITIONS` (consumers only).
    typealias RebalanceHandler =
        @Sendable (
            _ kafka: OpaquePointer, _ event: rd_kafka_resp_err_t,
            _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
        ) -> Void

    let logger: Logger
    let rebalance: RebalanceHandler?
    private let errors: Counter

    init(logger: Logger, component: String, rebalance: RebalanceHandler? = nil) {
        self.logger = logger
        self.rebalance = rebalance
        self.errors = Counter(label: "freshet_kafka_client_errors_total", dimensions: [("component", component)])
    }

    /// librdkafka's own log line (served on the polling thread because `log.queue=true`).
    func log(level: Int32, facility: String, message: String) {
        logger.log(
            level: Self.logLevel(syslogLevel: level),
            "\(message)",
            metadata: ["kafka.facility": "\(facility)"]
        )
    }

    /// A client-level error (`error_cb`): mostly transient (broker down), fatal for `__FATAL`.
    func error(kafka: OpaquePointer?, code: rd_kafka_resp_err_t, reason: String) {
        errors.increment()
        var level: Logger.Level = RDKafkaResponse.isRetriable(code) ? .warning : .error
        var code = code
        var reason = reason
        if code == RD_KAFKA_RESP_ERR__FATAL, let kafka {
            var buffer = [CChar](repeating: 0, count: 512)
            code = rd_kafka_fatal_error(kafka, &buffer, buffer.count)
            reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            level = .critical
        }
        logger.log(
            level: level,
            "librdkafka error",
            metadata: [
                "error.code": "\(String(cString: rd_kafka_err2name(code)))",
                "error.message": "\(reason)",
            ]
        )
    }

    /// Maps a syslog severity (librdkafka's log levels, 0 = emergency … 7 = debug) to swift-log.
    static func logLevel(syslogLevel: Int32) -> Logger.Level {
        switch syslogLevel {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }

    /// The callbacks object registered as `kafka`'s opaque.
    static func of(_ kafka: OpaquePointer?) -> RDKafkaCallbacks? {
        guard let kafka, let opaque = rd_kafka_opaque(kafka) else { return nil }
        return Unmanaged<RDKafkaCallbacks>.fromOpaque(opaque).takeUnretainedValue()
    }
}

// The C callbacks: free functions with librdkafka's exact signatures, no captures.

let rdKafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    kafka, level, facility, message in
    RDKafkaCallbacks.of(kafka)?.log(
        level: level,
        facility: facility.map { String(cString: $0) } ?? "",
        message: message.map { String(cString: $0) } ?? ""
    )
}

let rdKafkaErrorCallback:
    @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
        kafka, code, reason, _ in
        RDKafkaCallbacks.of(kafka)?.error(
            kafka: kafka, code: rd_kafka_resp_err_t(rawValue: code), reason: reason.map { String(cString: $0) } ?? ""
        )
    }

let rdKafkaRebalanceCallback:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { kafka, event, partitions, _ in
        guard let kafka, let partitions else { return }
        if let handler = RDKafkaCallbacks.of(kafka)?.rebalance {
            handler(kafka, event, partitions)
        } else {
            _ = rd_kafka_assign(kafka, event == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ? partitions : nil)
        }
    }
