/// How far a consumer is behind on one assigned partition.
public struct KafkaPartitionLag: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The offset the next produced record will get (the high watermark).
    public var highWatermark: Int64
    /// The offset of the next record this consumer will read; `nil` before it read or committed any
    /// (the lag then counts from the start or end of the partition, per `offsetReset`).
    public var position: Int64?
    /// Records written but not yet read: `highWatermark − position`, never negative.
    public var lag: Int64
}
