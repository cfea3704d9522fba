import Synchronization

/// The partitions a consumer currently owns, each tagged with the generation of the assignment that
/// gave it; the state behind "a record fetched before a rebalance is never committed".
///
/// Every assignment of a partition gets a new generation number, and records carry the generation
/// they were fetched under. Marking a record processed is allowed only while its partition is still
/// assigned under that same generation: after a revoke — even if the partition comes back later —
/// marking an old record is a no-op instead of committing over whoever owned the partition meanwhile.
///
/// A plain value; ``KafkaConsumer`` keeps it behind a lock and changes it from the rebalance callback.
struct KafkaConsumerAssignment: Sendable {
    private(set) var generations: [KafkaTopicPartition: UInt64] = [:]
    private var lastGeneration: UInt64 = 0
    /// Set by ``close()``: nothing may be marked any more.
    private(set) var isClosed = false

    /// Partitions were assigned. Eager rebalancing hands the full new assignment (`incremental: false`
    /// replaces everything); cooperative rebalancing adds to the current one.
    mutating func assign(_ partitions: [KafkaTopicPartition], incremental: Bool) {
        if !incremental { generations.removeAll() }
        for partition in partitions {
            lastGeneration += 1
            generations[partition] = lastGeneration
        }
    }

    /// Partitions were revoked (or lost).
    mutating func revoke(_ partitions: [KafkaTopicPartition]) {
        for partition in partitions { generations[partition] = nil }
    }

    /// Every partition was revoked.
    mutating func revokeAll() {
        generations.removeAll()
    }

    /// The consumer is closing: no further marks.
    mutating func close() {
        isClosed = true
    }

    /// The generation under which `partition` is assigned now; `nil` when it is not assigned.
    func generation(of partition: KafkaTopicPartition) -> UInt64? {
        generations[partition]
    }

    /// Whether a record fetched under `generation` from `partition` may still be marked processed.
    func mayMark(_ partition: KafkaTopicPartition, fetchedUnder generation: UInt64) -> Bool {
        !isClosed && generation != 0 && generations[partition] == generation
    }

    /// The number of assigned partitions.
    var count: Int { generations.count }

    /// The assigned partitions, sorted.
    var partitions: [KafkaTopicPartition] {
        generations.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}

/// A ``KafkaConsumerAssignment`` behind a lock, shared by the consumer, its rebalance callback and the
/// tasks that mark records. `Sendable` through the lock.
final class KafkaConsumerAssignmentLock: Sendable {
    private let mutex = Mutex(KafkaConsumerAssignment())

    /// Runs `body` with exclusive access. Keep it short and non-blocking.
    func withLock<T: Sendable, E: Error>(_ body: (inout KafkaConsumerAssignment) throws(E) -> T) throws(E) -> T {
        try mutex.withLock { (state: inout sending KafkaConsumerAssignment) throws(E) -> T in try body(&state) }
    }
}
