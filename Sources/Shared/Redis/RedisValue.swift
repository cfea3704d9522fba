/// One reply from Redis (RESP2), as a value.
///
/// An error reply is a value here, not a thrown error: inside a ``RedisClient/pipeline(_:)`` every
/// command gets its own reply, and a `WRONGTYPE` in one does not hide the others. The single-command
/// calls turn an `.error` into a thrown ``FreshetError`` (``FreshetError/Code/redisErrorReply``).
public enum RedisValue: Sendable, Hashable {
    /// A status reply such as `OK` or `PONG` (`+OK`).
    case simpleString(String)
    /// An error reply with Redis' own text, e.g. `WRONGTYPE Operation against a key holding the wrong kind of value`.
    case error(String)
    /// An integer reply (`:42`).
    case integer(Int64)
    /// A bulk string (`$3 foo`): binary-safe bytes.
    case bulkString([UInt8])
    /// An array reply, possibly nested.
    case array([RedisValue])
    /// A nil bulk string or nil array (`$-1`, `*-1`), e.g. `GET` of a missing key.
    case null

    /// The text of a simple string, or a bulk string decoded as UTF-8 (invalid bytes replaced); else `nil`.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The bytes of a bulk string or simple string; else `nil`.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    /// The value of an integer reply, or of a bulk string holding a decimal integer (`GET` of a counter).
    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString(let bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of an array reply; else `nil`.
    public var array: [RedisValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// Redis' error text when this is an error reply; else `nil`.
    public var errorMessage: String? {
        if case .error(let message) = self { message } else { nil }
    }

    /// `true` for a nil reply.
    public var isNull: Bool { self == .null }
}
