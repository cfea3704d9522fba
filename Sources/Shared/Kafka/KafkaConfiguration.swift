/// Settings shared by ``KafkaProducerConfiguration`` and ``KafkaConsumerConfiguration``.
///
/// Both configurations are plain `Sendable` values; they become librdkafka properties in one place,
/// `KafkaConfiguration+Properties.swift`, and anything not modelled here can be set through their
/// `additionalProperties` escape hatch with librdkafka's own key names
/// (https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md).
public enum KafkaConfiguration {
    /// How a producer compresses record batches (`compression.codec`).
    ///
    /// `lz4` is the default: cheapest on CPU for our small JSON/Thrift records, and handled by
    /// librdkafka ≥ 2.2, Apache Kafka and Tansu alike (`zstd` compresses better at more CPU).
    public enum Compression: String, Sendable, CaseIterable {
        case none, gzip, snappy, lz4, zstd
    }

    /// How many replicas must have a record before the broker acknowledges it (`acks`).
    public enum Acknowledgements: String, Sendable {
        /// Every in-sync replica (`acks=all`); required by idempotence.
        case all
        /// The partition leader only (`acks=1`).
        case leader = "1"
        /// No acknowledgement at all (`acks=0`); records can be lost silently.
        case none = "0"
    }

    /// Where a consumer group starts on a partition that has no committed offset (`auto.offset.reset`).
    public enum OffsetReset: String, Sendable {
        /// The oldest retained record: nothing written before the group first joined is skipped.
        case earliest
        /// Only records written after the group joined.
        case latest
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, as librdkafka's `*.ms` properties want them.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
