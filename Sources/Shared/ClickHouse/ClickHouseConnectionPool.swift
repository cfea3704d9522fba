import Synchronization

/// A fixed set of ``ClickHouseConnection``s; each request goes to the one with the fewest requests in
/// flight, so a long insert does not hold up a `/ready` ping when another connection is free.
///
/// `Sendable`: the connections are immutable references to `Sendable` objects; the in-flight counts
/// are guarded by a `Mutex`.
final class ClickHouseConnectionPool: Sendable {
    private let connections: [ClickHouseConnection]
    private let inFlight: Mutex<[Int]>

    init(size: Int, label: String) {
        let size = max(size, 1)
        self.connections = (0..<size).map { ClickHouseConnection(label: "\(label).\($0)") }
        self.inFlight = Mutex([Int](repeating: 0, count: size))
    }

    /// Performs `request` on the least busy connection.
    func perform(_ request: CurlRequest) async throws -> CurlResponse {
        let index = inFlight.withLock { counts in
            let index = counts.indices.min { counts[$0] < counts[$1] } ?? 0
            counts[index] += 1
            return index
        }
        defer { inFlight.withLock { $0[index] -= 1 } }
        return try await connections[index].perform(request)
    }
}
