import Testing

@testable import Shared

@Suite struct RedisReconnectBackoffTests {
    private let start = ContinuousClock.now

    @Test func connectableUntilTheFirstFailure() {
        let backoff = RedisReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(5))
        #expect(backoff.remainingWait(at: start) == nil)
    }

    @Test func waitsDoubleAfterEachFailureUpToTheMaximum() {
        var backoff = RedisReconnectBackoff(initial: .milliseconds(100), maximum: .milliseconds(700))
        var waits: [Duration] = []
        for attempt in 0..<6 {
            let now = start + .seconds(attempt * 10)
            backoff.recordFailure(at: now)
            waits.append(backoff.remainingWait(at: now) ?? .zero)
        }
        #expect(waits == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(700), .milliseconds(700), .milliseconds(700)])
    }

    @Test func mayAttemptOnceTheWaitHasPassed() {
        var backoff = RedisReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(5))
        backoff.recordFailure(at: start)
        #expect(backoff.remainingWait(at: start + .milliseconds(40)) == .milliseconds(60))
        #expect(backoff.remainingWait(at: start + .milliseconds(100)) == nil)
    }

    @Test func successResetsTheSequence() {
        var backoff = RedisReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(5))
        backoff.recordFailure(at: start)
        backoff.recordFailure(at: start)
        backoff.recordSuccess()
        #expect(backoff.remainingWait(at: start) == nil)
        #expect(backoff.consecutiveFailures == 0)
        backoff.recordFailure(at: start)
        #expect(backoff.remainingWait(at: start) == .milliseconds(100))
    }
}
