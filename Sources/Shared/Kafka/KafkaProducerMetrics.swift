import Metrics
import Synchronization

/// The producer's swift-metrics counters, per topic: `freshet_kafka_messages_sent_total`,
/// `freshet_kafka_messages_failed_total`, `freshet_kafka_bytes_sent_total`, plus
/// `freshet_kafka_producer_queue_full_total` (times a sender waited for room in the local queue).
///
/// Counters are created once per topic and updated once per batch, not per record.
/// Thread-safe: the per-topic cache sits behind a lock.
final class KafkaProducerMetrics: Sendable {
    struct Tally {
        fileprivate var perTopic: [String: (sent: Int64, failed: Int64, bytes: Int64)] = [:]
        private var lastTopic: String?
        private var lastCounts: (sent: Int64, failed: Int64, bytes: Int64) = (0, 0, 0)

        mutating func delivered(_ record: KafkaProducerRecord) {
            switchTo(record.topic)
            lastCounts.sent += 1
            lastCounts.bytes += Int64(record.value.count + (record.key?.count ?? 0))
        }

        mutating func failed(_ record: KafkaProducerRecord) {
            switchTo(record.topic)
            lastCounts.failed += 1
        }

        /// Most batches hold one topic: accumulate locally and touch the dictionary on topic changes only.
        private mutating func switchTo(_ topic: String) {
            if lastTopic == topic { return }
            flushLast()
            lastTopic = topic
            lastCounts = perTopic[topic] ?? (0, 0, 0)
        }

        fileprivate mutating func flushLast() {
            if let lastTopic { perTopic[lastTopic] = lastCounts }
        }
    }

    private struct Counters {
        let sent: Counter
        let failed: Counter
        let bytes: Counter
    }

    let queueFullWaits = Counter(label: "freshet_kafka_producer_queue_full_total")
    private let counters = Mutex<[String: Counters]>([:])

    func record(_ tally: Tally) {
        var tally = tally
        tally.flushLast()
        for (topic, counts) in tally.perTopic {
            let counters = counters.withLock { cache in
                if let existing = cache[topic] { return existing }
                let dimensions = [("topic", topic)]
                let created = Counters(
                    sent: Counter(label: "freshet_kafka_messages_sent_total", dimensions: dimensions),
                    failed: Counter(label: "freshet_kafka_messages_failed_total", dimensions: dimensions),
                    bytes: Counter(label: "freshet_kafka_bytes_sent_total", dimensions: dimensions)
                )
                cache[topic] = created
                return created
            }
            if counts.sent > 0 { counters.sent.increment(by: counts.sent) }
            if counts.failed > 0 { counters.failed.increment(by: counts.failed) }
            if counts.bytes > 0 { counters.bytes.increment(by: counts.bytes) }
        }
    }
}
