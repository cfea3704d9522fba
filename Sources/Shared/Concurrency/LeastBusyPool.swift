import Synchronization

/// A fixed set of members (connections) handed out by load: each use goes to the member with the fewest
/// uses in flight (the lowest index on a tie), so concurrent callers spread over the members while one
/// slow use holds up few others.
///
/// Threading: any number of tasks may call ``withLeastBusy(_:)`` at once; the in-flight counts are
/// guarded by a `Mutex` held only while choosing and while releasing, never across `body`.
/// `Sendable` because the members are immutable `Sendable` values and the counts are behind the mutex.
/// Lifetime: the pool owns its members for as long as it lives.
final class LeastBusyPool<Member: Sendable>: Sendable {
    /// The members, in the order given.
    let members: [Member]
    private let inFlight: Mutex<[Int]>

    /// A pool of `members`, which must not be empty.
    init(_ members: [Member]) {
        precondition(!members.isEmpty, "LeastBusyPool needs at least one member")
        self.members = members
        self.inFlight = Mutex([Int](repeating: 0, count: members.count))
    }

    /// Runs `body` with the least busy member, counting it busy until `body` returns or throws.
    func withLeastBusy<T: Sendable>(_ body: (Member) async throws -> T) async throws -> T {
        let index = inFlight.withLock { counts in
            let index = counts.indices.min { counts[$0] < counts[$1] } ?? 0
            counts[index] += 1
            return index
        }
        defer { inFlight.withLock { $0[index] -= 1 } }
        return try await body(members[index])
    }
}
