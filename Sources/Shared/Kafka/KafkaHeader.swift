/// One Kafka record header: a name and an optional byte value.
public struct KafkaHeader: Sendable, Hashable {
    /// The header name (UTF-8).
    public var name: String
    /// The header value; `nil` for a header without value.
    public var value: [UInt8]?

    /// A header with a byte value.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// A header whose value is the UTF-8 bytes of `value`.
    public init(name: String, value: String) {
        self.init(name: name, value: Array(value.utf8))
    }
}
