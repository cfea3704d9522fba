/// The one error type thrown by the `Shared` module and the four services.
///
/// Every error carries a stable ``Code`` (for logs, metrics and tests), a human message that says what
/// failed and what to do about it, whether retrying the same operation can succeed, and the underlying
/// cause when there is one (a librdkafka, hiredis, curl or system error).
///
/// Codes are grouped by area (`kafka.*`, `redis.*`, `clickhouse.*`, `config.*`, …) and each area declares
/// its own codes in an extension of ``Code`` next to the code that throws them.
///
/// Invalid *input* (a malformed tracker request, a bad collector payload) is not an error of this kind:
/// it is data that becomes a bad row. See `BadRow`.
public struct FreshetError: Error, Sendable, CustomStringConvertible {
    /// A stable, dotted identifier such as `kafka.delivery_failed`.
    public struct Code: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
    }

    /// What went wrong, as a stable code.
    public let code: Code
    /// What failed and what to do about it, for an operator reading a log line.
    public let message: String
    /// `true` when the same operation may succeed later (a broker or server that is down, a timeout);
    /// `false` for configuration mistakes and other conditions that need a human.
    public let isRetriable: Bool
    /// The lower-level error this one wraps, if any.
    public let underlying: (any Error)?

    public init(_ code: Code, _ message: String, retriable: Bool = false, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.isRetriable = retriable
        self.underlying = underlying
    }

    public var description: String {
        var text = "[\(code)] \(message)"
        if let underlying { text += " (cause: \(underlying))" }
        return text
    }
}

extension FreshetError.Code {
    /// A configuration value is missing or invalid.
    public static let invalidConfiguration: Self = "config.invalid"
    /// A file or directory operation failed.
    public static let io: Self = "io.failed"
    /// An operation did not finish within its deadline.
    public static let timeout: Self = "timeout"
    /// The component was shut down while the operation was in progress.
    public static let shutdown: Self = "shutdown"
}
