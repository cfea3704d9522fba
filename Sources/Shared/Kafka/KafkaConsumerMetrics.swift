import Metrics
import Synchronization

/// The consumer's swift-metrics: `freshet_kafka_messages_received_total{topic}`,
/// `freshet_kafka_bytes_received_total{topic}` and the gauges `freshet_kafka_consumer_lag{topic,partition,group}`
/// and `freshet_kafka_assigned_partitions{group}` (partitions this member owns after the latest rebalance:
/// 0 before it joined its group, or when the group has more members than partitions).
///
/// Thread-safe: the per-topic cache sits behind a lock; counters are updated once per fetched batch.
final class KafkaConsumerMetrics: Sendable {
    private struct Counters {
        let received: Counter
        let bytes: Counter
    }

    private let group: String
    private let counters = Mutex<[String: Counters]>([:])

    private let assignedPartitions: Gauge

    init(group: String) {
        self.group = group
        assignedPartitions = Gauge(label: "freshet_kafka_assigned_partitions", dimensions: [("group", group)])
        assignedPartitions.record(0)
    }

    /// After a rebalance: the number of partitions now assigned.
    func assigned(_ count: Int) {
        assignedPartitions.record(count)
    }

    func received(_ records: [KafkaConsumerRecord]) {
        guard !records.isEmpty else { return }
        // Tallied per run of records from one topic (a batch usually holds one topic): no hashing per record.
        var tallies: [(topic: String, count: Int64, bytes: Int64)] = []
        for record in records {
            let bytes = Int64(record.value.count + (record.key?.count ?? 0))
            if let last = tallies.indices.last, tallies[last].topic == record.topic {
                tallies[last].count += 1
                tallies[last].bytes += bytes
            } else {
                tallies.append((record.topic, 1, bytes))
            }
        }
        for (topic, count, bytes) in tallies {
            let counters = counters.withLock { cache in
                if let existing = cache[topic] { return existing }
                let created = Counters(
                    received: Counter(label: "freshet_kafka_messages_received_total", dimensions: [("topic", topic)]),
                    bytes: Counter(label: "freshet_kafka_bytes_received_total", dimensions: [("topic", topic)])
                )
                cache[topic] = created
                return created
            }
            counters.received.increment(by: count)
            counters.bytes.increment(by: bytes)
        }
    }

    func record(_ lags: [KafkaPartitionLag]) {
        for lag in lags {
            Gauge(
                label: "freshet_kafka_consumer_lag",
                dimensions: [("topic", lag.topic), ("partition", String(lag.partition)), ("group", group)]
            ).record(lag.lag)
        }
    }
}
