import Logging

/// The Redis client the services use: typed replies, pipelining, Lua scripts by SHA, reconnects.
///
/// Threading: all methods are safe to call concurrently from any task. Each call runs on one of
/// ``RedisConfiguration/poolSize`` connections, each with its own thread; no call blocks the
/// cooperative pool. Connections are opened lazily on first use and re-opened after a failure
/// (see ``FreshetError/Code/redisIOFailed``).
///
/// Lifetime: a value; copies share the same connections, which close when the last copy is gone.
public struct RedisClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: RedisConfiguration
    /// Each call goes to the connection with the fewest calls in flight, so concurrent callers use
    /// different connections (and threads) while one slow call delays few others.
    private let pool: LeastBusyPool<RedisConnection>

    /// Creates a client. Does not connect: the first call does (use ``ping()`` to check readiness).
    public init(configuration: RedisConfiguration, logger: Logger = Logger(label: "freshet.redis")) {
        var logger = logger
        logger[metadataKey: "component"] = "redis.client"
        self.configuration = configuration
        let size = max(configuration.poolSize, 1)
        self.pool = LeastBusyPool(
            (0..<size).map { RedisConnection(configuration: configuration, index: $0, logger: logger) })
    }

    /// Runs one command, e.g. `command(["HINCRBY", RedisArgument(key), "views", 1])`, and returns its reply.
    ///
    /// Throws ``FreshetError/Code/redisErrorReply`` with Redis' own message when Redis answers with an
    /// error reply, and a retriable ``FreshetError`` when the connection fails.
    @discardableResult
    public func command(_ arguments: [RedisArgument]) async throws -> RedisValue {
        let reply = try await pool.withLeastBusy { try await $0.roundTrip([arguments]) }.first ?? .null
        if let message = reply.errorMessage {
            throw FreshetError.redisErrorReply(message, command: arguments.first?.description.uppercased() ?? "")
        }
        return reply
    }

    /// Variadic form of ``command(_:)-([RedisArgument])``: `command("GET", RedisArgument(key))`.
    @discardableResult
    public func command(_ arguments: RedisArgument...) async throws -> RedisValue {
        try await command(arguments)
    }

    /// Sends all `commands` on one connection in one write, then reads all replies: one round trip.
    ///
    /// Returns one reply per command, in order; an error reply to one command is its `.error` value and
    /// does not affect the others. Throws only when the connection fails (retriable; the commands may or
    /// may not have run). Not a transaction: other clients' commands may run in between.
    public func pipeline(_ commands: [[RedisArgument]]) async throws -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        return try await pool.withLeastBusy { try await $0.roundTrip(commands) }
    }

    /// Runs `script` with `EVALSHA`. When the server does not know the script (`NOSCRIPT`, after a
    /// restart or `SCRIPT FLUSH`), loads it with `SCRIPT LOAD` and runs it again, in one more round trip.
    ///
    /// Throws ``FreshetError/Code/redisErrorReply`` when the script fails or returns an error.
    @discardableResult
    public func evalScript(_ script: RedisScript, keys: [RedisArgument] = [], arguments: [RedisArgument] = []) async throws -> RedisValue {
        let evalsha = Self.evalsha(script, keys: keys, arguments: arguments)
        let reply = try await pool.withLeastBusy { connection in
            try await connection.queued({ roundTrip in try Self.runScript(evalsha, source: script.source, roundTrip: roundTrip) }, enqueued: {})
        }
        return try Self.result(of: reply, script: script)
    }

    /// Runs `script` like ``evalScript(_:keys:arguments:)``, keeping the order of calls: every such call
    /// runs on the client's first connection, on that connection's thread, in the order the calls were
    /// queued. `enqueued` is called as soon as this call is queued, before it suspends; a call made after
    /// `enqueued` returned reaches Redis after this one, and is sent straight after this one's answer on
    /// the connection's thread — no hop through the callers' executors between consecutive calls (with
    /// one caller waiting for the previous answer before sending, that hop was a third of each turn on a
    /// busy machine).
    ///
    /// On the connection's thread, just before sending, `proceed` decides whether to send at all: `false`
    /// throws a retriable ``FreshetError/Code/redisCallWithheld`` without sending (e.g. the call queued
    /// before this one failed, and this one must not overtake its retry). `answered` is called there once
    /// Redis answered, with the answer (an error reply too) and the time from sending to the answer,
    /// before the next queued call runs. A `NOSCRIPT` answer loads the script and runs it again within the
    /// same turn.
    ///
    /// Throws as ``evalScript(_:keys:arguments:)`` does.
    @discardableResult
    public func evalScriptInOrder(
        _ script: RedisScript, keys: [RedisArgument] = [], arguments: [RedisArgument] = [],
        proceed: @escaping @Sendable () -> Bool = { true },
        answered: @escaping @Sendable (_ reply: RedisValue, _ roundTrip: Duration) -> Void = { _, _ in },
        enqueued: () -> Void = {}
    ) async throws -> RedisValue {
        let evalsha = Self.evalsha(script, keys: keys, arguments: arguments)
        let source = script.source
        let reply = try await pool.members[0].queued({ roundTrip in
            guard proceed() else {
                throw FreshetError(
                    .redisCallWithheld, "the call was not sent: the call queued before it has not been answered", retriable: true)
            }
            let started = ContinuousClock.now
            let reply = try Self.runScript(evalsha, source: source, roundTrip: roundTrip)
            answered(reply, ContinuousClock.now - started)
            return reply
        }, enqueued: enqueued)
        return try Self.result(of: reply, script: script)
    }

    /// The `EVALSHA` command of `script` with `keys` and `arguments`.
    private static func evalsha(_ script: RedisScript, keys: [RedisArgument], arguments: [RedisArgument]) -> [RedisArgument] {
        ["EVALSHA", RedisArgument(script.sha1), RedisArgument(keys.count)] + keys + arguments
    }

    /// Sends `evalsha`; when the server does not know the script (`NOSCRIPT`), loads `source` and sends
    /// `evalsha` again — all within one turn of the connection. Returns the script's reply (or the
    /// `SCRIPT LOAD` error).
    private static func runScript(
        _ evalsha: [RedisArgument], source: String, roundTrip: ([[RedisArgument]]) throws -> [RedisValue]
    ) throws -> RedisValue {
        let first = try roundTrip([evalsha])[0]
        guard let message = first.errorMessage, message.hasPrefix("NOSCRIPT") else { return first }
        let replies = try roundTrip([["SCRIPT", "LOAD", RedisArgument(source)], evalsha])
        return replies[0].errorMessage.map { RedisValue.error($0) } ?? replies[1]
    }

    /// `reply`, or the ``FreshetError/Code/redisErrorReply`` it stands for.
    private static func result(of reply: RedisValue, script: RedisScript) throws -> RedisValue {
        if let message = reply.errorMessage {
            throw FreshetError.redisErrorReply(message, command: "EVALSHA \(script.sha1)")
        }
        return reply
    }

    /// Sends `PING` and checks for `PONG`: the readiness check for `/ready`. Throws when Redis is unreachable.
    public func ping() async throws {
        let reply = try await command("PING")
        guard reply.string == "PONG" else {
            throw FreshetError(.redisProtocolError, "Redis at \(configuration.address) answered PING with \(reply) instead of PONG")
        }
    }
}
