/// One argument of a Redis command (the command name itself is the first argument), as raw bytes.
///
/// Written as a string literal (`"HINCRBY"`), an integer literal, or built from a `String`, an integer or
/// bytes. Redis arguments are binary-safe: no encoding is applied beyond UTF-8 for strings.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// The bytes sent to the server.
    public var bytes: [UInt8]

    /// The UTF-8 bytes of `string`.
    public init(_ string: String) { self.bytes = Array(string.utf8) }
    /// The decimal form of `value`, as Redis expects numbers.
    public init(_ value: some BinaryInteger) { self.bytes = Array(String(value).utf8) }
    /// Binary data sent unchanged.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(value) }
}

extension RedisArgument: CustomStringConvertible {
    /// The argument as text (invalid UTF-8 replaced), for error messages.
    public var description: String { String(decoding: bytes, as: UTF8.self) }
}
