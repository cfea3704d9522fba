import Testing

@testable import Shared

/// The member choice behind the Redis and ClickHouse connection pools.
@Suite struct LeastBusyPoolTests {
    struct Failure: Error {}

    @Test func eachUseGoesToTheMemberWithTheFewestUsesInFlight() async throws {
        let pool = LeastBusyPool(["a", "b", "c"])
        // Nested uses stay in flight until the innermost returns.
        let chosen = try await pool.withLeastBusy { first in
            try await pool.withLeastBusy { second in
                try await pool.withLeastBusy { third in
                    try await pool.withLeastBusy { fourth in [first, second, third, fourth] }
                }
            }
        }
        #expect(chosen == ["a", "b", "c", "a"])
        // Everything was released: the first member is free again.
        #expect(try await pool.withLeastBusy { $0 } == "a")
    }

    @Test func aUseThatThrowsIsReleased() async throws {
        let pool = LeastBusyPool(["a", "b"])
        await #expect(throws: Failure.self) { try await pool.withLeastBusy { _ in throw Failure() } }
        let chosen = try await pool.withLeastBusy { first in
            try await pool.withLeastBusy { second in [first, second] }
        }
        #expect(chosen == ["a", "b"])
    }
}
