import Logging
import Metrics

/// One Redis connection with its own thread: a ``RedisContext`` that is (re)created on demand and only
/// touched from the connection's `BlockingExecutor`, so no hiredis round trip runs on the cooperative pool.
///
/// Reconnect: when the context breaks (Redis restarted, network error, timeout) the failing call throws
/// a retriable error and the context is dropped; the next call connects anew. A failed connect starts a
/// bounded exponential backoff (``RedisReconnectBackoff``) during which calls fail fast with
/// ``FreshetError/Code/redisConnectionFailed`` instead of hammering the server.
///
/// `@unchecked Sendable`: the mutable state (`context`, `backoff`) is read and written only inside
/// closures run on `executor`, a serial queue, so accesses never overlap.
final class RedisConnection: @unchecked Sendable {
    private let configuration: RedisConfiguration
    private let executor: BlockingExecutor
    private let logger: Logger
    private var context: RedisContext?
    private var backoff: RedisReconnectBackoff
    private var lastConnectError: FreshetError?
    /// `freshet_redis_connection_errors_total{reason}`: connects that failed (`connect`) and connections
    /// that broke in use (`io`).
    private let connectFailures = Counter(label: "freshet_redis_connection_errors_total", dimensions: [("reason", "connect")])
    private let connectionsLost = Counter(label: "freshet_redis_connection_errors_total", dimensions: [("reason", "io")])

    init(configuration: RedisConfiguration, index: Int, logger: Logger) {
        self.configuration = configuration
        self.executor = BlockingExecutor(label: "freshet.redis.\(configuration.address).\(index)")
        self.logger = logger
        self.backoff = RedisReconnectBackoff(initial: configuration.reconnectBackoff, maximum: configuration.maximumReconnectBackoff)
    }

    /// Sends `commands` in one round trip on this connection's thread and returns one reply per command.
    func roundTrip(_ commands: [[RedisArgument]]) async throws -> [RedisValue] {
        try await executor.run { try self.roundTripOnExecutor(commands) }
    }

    /// Runs `body` with this connection's context on its thread, after everything queued before it;
    /// `enqueued` is called as soon as it is queued (``BlockingExecutor/run(_:enqueued:)``). `body` may
    /// make several round trips; a failure that breaks the context drops it, as in ``roundTrip(_:)``.
    func queued<T: Sendable>(
        _ body: @escaping @Sendable (_ roundTrip: ([[RedisArgument]]) throws -> [RedisValue]) throws -> T,
        enqueued: () -> Void
    ) async throws -> T {
        try await executor.run({ try body { commands in try self.roundTripOnExecutor(commands) } }, enqueued: enqueued)
    }

    // MARK: - On the executor

    private func roundTripOnExecutor(_ commands: [[RedisArgument]]) throws -> [RedisValue] {
        let context = try connectedContext()
        do {
            return try context.roundTrip(commands)
        } catch {
            if context.isBroken {
                self.context = nil
                connectionsLost.increment()
                logger.warning(
                    "Redis connection lost; the next call reconnects",
                    metadata: [
                        "component": "redis.connection",
                        "error.code": "\((error as? FreshetError)?.code.rawValue ?? "")",
                        "error.message": "\((error as? FreshetError)?.message ?? "\(error)")",
                    ]
                )
            }
            throw error
        }
    }

    private func connectedContext() throws -> RedisContext {
        if let context { return context }
        let now = ContinuousClock.now
        if let wait = backoff.remainingWait(at: now) {
            throw FreshetError(
                .redisConnectionFailed,
                "Redis at \(configuration.address) is unreachable; next reconnect attempt in \(wait)",
                retriable: true,
                underlying: lastConnectError
            )
        }
        do {
            let context = try RedisContext(configuration: configuration)
            if backoff.consecutiveFailures > 0 || lastConnectError != nil {
                logger.info("Reconnected to Redis", metadata: ["component": "redis.connection"])
            }
            backoff.recordSuccess()
            lastConnectError = nil
            self.context = context
            return context
        } catch let error as FreshetError {
            backoff.recordFailure(at: ContinuousClock.now)
            lastConnectError = error
            connectFailures.increment()
            logger.warning(
                "Cannot connect to Redis",
                metadata: ["component": "redis.connection", "error.code": "\(error.code)", "error.message": "\(error.message)"]
            )
            throw error
        }
    }
}
