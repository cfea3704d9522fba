import CRdKafka

/// Owns one `rd_kafka_conf_t` until `rd_kafka_new` takes it over.
///
/// Every property goes through ``set(_:_:)``, which turns librdkafka's refusal into a
/// ``FreshetError/Code/kafkaInvalidConfiguration`` naming the key and librdkafka's own message.
///
/// Not `Sendable`: a configuration is built and consumed by one thread, inside `RDKafkaClient.init`.
final class RDKafkaConfig {
    /// `nil` once ``handOver(_:)`` gave the configuration to a client.
    private var pointer: OpaquePointer?

    /// A configuration with librdkafka's defaults plus `properties`, applied in order.
    init(properties: [(key: String, value: String)]) throws {
        guard let pointer = rd_kafka_conf_new() else {
            throw FreshetError(.kafkaClientCreationFailed, "rd_kafka_conf_new returned NULL (out of memory?)")
        }
        self.pointer = pointer
        for (key, value) in properties {
            try set(key, value)
        }
    }

    deinit {
        if let pointer { rd_kafka_conf_destroy(pointer) }
    }

    /// Sets one librdkafka property (`rd_kafka_conf_set`).
    func set(_ key: String, _ value: String) throws {
        guard let pointer else { preconditionFailure("RDKafkaConfig used after it was handed to rd_kafka_new") }
        var message = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(pointer, key, value, &message, message.count)
        guard result == RD_KAFKA_CONF_OK else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let kind =
                result == RD_KAFKA_CONF_UNKNOWN
                ? "unknown librdkafka property" : "invalid value for librdkafka property"
            throw FreshetError(
                .kafkaInvalidConfiguration,
                "\(kind) '\(key)' (value '\(value)'): \(reason). Check the Kafka settings and "
                    + "https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md",
                retriable: false
            )
        }
    }

    /// The value librdkafka holds for `key` (`rd_kafka_conf_get`), or `nil` for an unknown key.
    func value(forKey key: String) -> String? {
        guard let pointer else { return nil }
        var size = 0
        guard rd_kafka_conf_get(pointer, key, nil, &size) == RD_KAFKA_CONF_OK else { return nil }
        var buffer = [CChar](repeating: 0, count: size + 1)
        guard rd_kafka_conf_get(pointer, key, &buffer, &size) == RD_KAFKA_CONF_OK else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs `body` with the raw configuration (to register callbacks). Do not escape the pointer.
    func withPointer<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        guard let pointer else { preconditionFailure("RDKafkaConfig used after it was handed to rd_kafka_new") }
        return try body(pointer)
    }

    /// Gives the configuration to `create` (a call to `rd_kafka_new`). librdkafka frees the
    /// configuration only when creation succeeds, so ownership moves only on a non-`nil` result.
    func handOver<T>(_ create: (OpaquePointer) -> T?) -> T? {
        guard let pointer else { return nil }
        let created = create(pointer)
        if created != nil { self.pointer = nil }
        return created
    }
}
