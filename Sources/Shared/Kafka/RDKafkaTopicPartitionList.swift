import CRdKafka

/// Owns one `rd_kafka_topic_partition_list_t`.
///
/// Not `Sendable`: a list is built, handed to one librdkafka call and read back by one thread.
final class RDKafkaTopicPartitionList {
    private let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// An empty list with room for `capacity` entries (it grows as needed).
    init(capacity: Int = 1) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: max(capacity, 1)))
    }

    /// Takes ownership of a list librdkafka returned (e.g. from `rd_kafka_assignment`).
    init(taking pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    /// A copy of a list librdkafka owns (e.g. the one passed to a rebalance callback).
    convenience init(copying other: UnsafePointer<rd_kafka_topic_partition_list_t>) {
        self.init(taking: rd_kafka_topic_partition_list_copy(other))
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    /// Appends `topic`/`partition` with `offset` (librdkafka's `RD_KAFKA_OFFSET_INVALID` when not given).
    func add(topic: String, partition: Int32, offset: Int64 = Int64(RD_KAFKA_OFFSET_INVALID)) {
        let element = rd_kafka_topic_partition_list_add(pointer, topic, partition)
        element?.pointee.offset = offset
    }

    /// The entries, copied out.
    var entries: [Entry] { Self.entries(of: pointer) }

    /// Runs `body` with the raw list. Do not escape the pointer from the closure.
    func withPointer<T>(_ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws -> T) rethrows -> T {
        try body(pointer)
    }

    /// One entry of a list, copied out of C memory.
    struct Entry: Hashable {
        var topic: String
        var partition: Int32
        var offset: Int64
        var error: rd_kafka_resp_err_t

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.topic == rhs.topic && lhs.partition == rhs.partition && lhs.offset == rhs.offset
                && lhs.error == rhs.error
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(topic)
            hasher.combine(partition)
            hasher.combine(offset)
            hasher.combine(error.rawValue)
        }
    }

    /// The entries of any list, owned or not.
    static func entries(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [Entry] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            return Entry(
                topic: element.topic.map { String(cString: $0) } ?? "",
                partition: element.partition,
                offset: element.offset,
                error: element.err
            )
        }
    }
}
