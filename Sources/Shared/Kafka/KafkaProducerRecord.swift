/// A record to produce: topic, optional key, value and headers.
///
/// Unless ``partition`` is set, the partition is chosen by librdkafka's default partitioner from the
/// key (records with the same key go to the same partition; keyless records are spread). librdkafka copies key, value and
/// headers when the record is enqueued, so the value can be reused or released right after `send`.
/// An empty `value` is sent as a null value.
public struct KafkaProducerRecord: Sendable, Hashable {
    /// The topic to write to.
    public var topic: String
    /// The partitioning key; `nil` for none.
    public var key: [UInt8]?
    /// The record's payload.
    public var value: [UInt8]
    /// Record headers, in order. Default: none.
    public var headers: [KafkaHeader]
    /// A partition to write to instead of the partitioner's choice. Default: `nil`.
    public var partition: Int32?

    /// A record with byte key and value.
    public init(
        topic: String, key: [UInt8]? = nil, value: [UInt8], headers: [KafkaHeader] = [], partition: Int32? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// A record whose key and value are the UTF-8 bytes of the given strings.
    public init(topic: String, key: String?, value: String, headers: [KafkaHeader] = [], partition: Int32? = nil) {
        self.init(
            topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers,
            partition: partition)
    }
}
