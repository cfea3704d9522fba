extension FreshetError.Code {
    /// No connection to Redis could be established (refused, unreachable, connect timeout, or waiting
    /// out the reconnect backoff). Retriable.
    public static let redisConnectionFailed: Self = "redis.connection_failed"
    /// A connection broke while sending a command or reading its reply (Redis restarted, network error,
    /// command timeout). The command may or may not have run. Retriable; the next call reconnects.
    public static let redisIOFailed: Self = "redis.io_failed"
    /// Redis answered a single command with an error reply (e.g. `WRONGTYPE`); the message holds Redis'
    /// own text. Retriable only for the transient kinds (`LOADING`, `BUSY`, `TRYAGAIN`, `MASTERDOWN`,
    /// `CLUSTERDOWN`).
    public static let redisErrorReply: Self = "redis.error_reply"
    /// `AUTH` or `SELECT` after connecting was refused: a configuration mistake. Not retriable.
    public static let redisAuthenticationFailed: Self = "redis.authentication_failed"
    /// A call queued with ``RedisClient/evalScriptInOrder(_:keys:arguments:proceed:answered:enqueued:)``
    /// was not sent because its `proceed` check said no (the call queued before it was not answered).
    /// Retriable: nothing reached Redis.
    public static let redisCallWithheld: Self = "redis.call_withheld"
    /// hiredis could not parse what the server sent, or ran out of memory. The connection is dropped.
    public static let redisProtocolError: Self = "redis.protocol_error"
}

extension FreshetError {
    /// The error thrown when Redis answers `command` with the error reply `message`.
    static func redisErrorReply(_ message: String, command: String) -> FreshetError {
        FreshetError(
            .redisErrorReply,
            "Redis answered \(command) with an error: \(message)",
            retriable: RedisErrorReplyKind.isTransient(message)
        )
    }
}

/// Which Redis error replies describe a passing server state rather than a wrong command.
enum RedisErrorReplyKind {
    /// Prefixes of error replies that go away by themselves: a server loading its data set, busy with a
    /// script, or a cluster in reconfiguration.
    static let transientPrefixes = ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN"]

    /// `true` when retrying the same command later can succeed.
    static func isTransient(_ message: String) -> Bool {
        let prefix = message.prefix { $0 != " " }
        return transientPrefixes.contains { $0 == prefix }
    }
}
