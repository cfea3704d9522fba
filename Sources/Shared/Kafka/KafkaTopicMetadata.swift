/// What the cluster reports about one topic.
public struct KafkaTopicMetadata: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// Its partition ids, ascending.
    public var partitions: [Int32]
    /// How many partitions it has.
    public var partitionCount: Int { partitions.count }
}
