/// A Lua script run with `EVALSHA`, identified by the SHA-1 of its source as Redis computes it.
///
/// Create scripts once (e.g. as `static let`) and pass them to ``RedisClient/evalScript(_:keys:arguments:)``,
/// which loads the source with `SCRIPT LOAD` only when the server answers `NOSCRIPT` (after a restart or
/// `SCRIPT FLUSH`).
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// Lower-case hex SHA-1 of `source`, the name `EVALSHA` uses.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(of: Array(source.utf8))
    }
}
