/// Where the broker stored a record it acknowledged.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The record's topic.
    public var topic: String
    /// The partition the record was written to.
    public var partition: Int32
    /// The record's offset in that partition.
    public var offset: Int64

    /// A report for `topic`/`partition`/`offset`.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
