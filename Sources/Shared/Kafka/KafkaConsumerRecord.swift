import CRdKafka

/// A record read by a ``KafkaConsumer``: where it was stored, its key, value, headers and timestamp.
///
/// A plain value copied out of librdkafka's memory. Hand it back to ``KafkaConsumer/markProcessed(_:)``
/// once it has been processed, so its offset can be committed.
public struct KafkaConsumerRecord: Sendable, Hashable {
    /// The topic the record was read from.
    public var topic: String
    /// Its partition.
    public var partition: Int32
    /// Its offset in the partition.
    public var offset: Int64
    /// Its key; `nil` when it had none.
    public var key: [UInt8]?
    /// Its value (empty for a null value).
    public var value: [UInt8]
    /// Its headers, in order.
    public var headers: [KafkaHeader]
    /// Milliseconds since the Unix epoch (UTC) set by the producer or the broker; `nil` when absent.
    public var timestampMilliseconds: Int64?

    /// Which assignment of its partition the record was fetched under; a record from an earlier
    /// assignment (before a rebalance) is never committed.
    let assignmentGeneration: UInt64

    /// A record built by hand (tests, replays); it belongs to no assignment and cannot be marked processed.
    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = [],
        timestampMilliseconds: Int64? = nil
    ) {
        self.init(
            topic: topic, partition: partition, offset: offset, key: key, value: value, headers: headers,
            timestampMilliseconds: timestampMilliseconds, assignmentGeneration: 0
        )
    }

    init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader],
        timestampMilliseconds: Int64?, assignmentGeneration: UInt64
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
        self.assignmentGeneration = assignmentGeneration
    }

    /// Copies a message librdkafka returned; the caller still destroys `message`.
    init(message: UnsafePointer<rd_kafka_message_t>, topic: String, assignmentGeneration: UInt64) {
        let raw = message.pointee
        let value: [UInt8] =
            raw.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.len)) } ?? []
        let key: [UInt8]? = raw.key.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.key_len)) }
        var headers: [KafkaHeader] = []
        var headerList: OpaquePointer?
        if rd_kafka_message_headers(message, &headerList) == RD_KAFKA_RESP_ERR_NO_ERROR, let headerList {
            var index = 0
            var name: UnsafePointer<CChar>?
            var headerValue: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(headerList, index, &name, &headerValue, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(
                    KafkaHeader(
                        name: name.map { String(cString: $0) } ?? "",
                        value: headerValue.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                    )
                )
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        self.init(
            topic: topic, partition: raw.partition, offset: raw.offset, key: key, value: value, headers: headers,
            timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp,
            assignmentGeneration: assignmentGeneration
        )
    }
}
