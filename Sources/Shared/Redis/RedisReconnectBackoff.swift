/// When a connection that could not be (re)established may try again: the reconnect state machine.
///
/// States: *connectable* (no failure since the last success) and *backing off* after `n` failed
/// attempts, where the next attempt may start `initial · 2ⁿ⁻¹` (at most `maximum`) after the last
/// failure. A success returns to *connectable*. A connection that breaks while in use does not start a
/// backoff: the next call reconnects at once, and only a failed reconnect waits.
struct RedisReconnectBackoff: Sendable, Equatable {
    let initial: Duration
    let maximum: Duration
    /// Failed connect attempts since the last success.
    private(set) var consecutiveFailures = 0
    /// The earliest instant the next attempt may start; `nil` when connectable.
    private(set) var nextAttempt: ContinuousClock.Instant?

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// How long a caller must still wait at `now` before attempting to connect; `nil` when it may now.
    func remainingWait(at now: ContinuousClock.Instant) -> Duration? {
        guard let nextAttempt, now < nextAttempt else { return nil }
        return nextAttempt - now
    }

    /// A connect attempt failed at `now`: wait longer before the next one.
    mutating func recordFailure(at now: ContinuousClock.Instant) {
        consecutiveFailures += 1
        nextAttempt = now + delay(afterFailures: consecutiveFailures)
    }

    /// A connect attempt succeeded: the next failure starts again from `initial`.
    mutating func recordSuccess() {
        consecutiveFailures = 0
        nextAttempt = nil
    }

    /// The wait after `failures` consecutive failures: `initial`, doubled per further failure, capped.
    func delay(afterFailures failures: Int) -> Duration {
        var wait = initial
        for _ in 1..<max(failures, 1) {
            wait *= 2
            if wait >= maximum { return maximum }
        }
        return min(wait, maximum)
    }
}
