import Logging
import Synchronization

/// A fixed set of ``RedisConnection``s; each call goes to the connection with the fewest calls in flight,
/// so concurrent callers use different connections (and threads) while one slow call delays few others.
///
/// `Sendable`: the connections are immutable references to `Sendable` objects; the in-flight counts
/// are guarded by a `Mutex`.
final class RedisConnectionPool: Sendable {
    private let connections: [RedisConnection]
    private let inFlight: Mutex<[Int]>

    init(configuration: RedisConfiguration, logger: Logger) {
        let size = max(configuration.poolSize, 1)
        self.connections = (0..<size).map { RedisConnection(configuration: configuration, index: $0, logger: logger) }
        self.inFlight = Mutex([Int](repeating: 0, count: size))
    }

    /// Runs `body` with the least busy connection. Calls made inside `body` go to the same connection,
    /// in order.
    func withConnection<T: Sendable>(_ body: (RedisConnection) async throws -> T) async throws -> T {
        let index = inFlight.withLock { counts in
            let index = counts.indices.min { counts[$0] < counts[$1] } ?? 0
            counts[index] += 1
            return index
        }
        defer { inFlight.withLock { $0[index] -= 1 } }
        return try await body(connections[index])
    }
}
