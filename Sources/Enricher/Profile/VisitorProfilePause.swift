/// The state of one batch while Redis is unreachable under the `pause` behaviour: how long to wait
/// before the next attempt. States: *running* (no failure yet) and *paused* after `n` failed
/// attempts, waiting `initial · 2ⁿ⁻¹` (at most `maximum`) before the next one; a success ends it.
struct VisitorProfilePause: Sendable, Equatable {
    let initial: Duration
    let maximum: Duration
    /// Failed attempts so far.
    private(set) var failures = 0
    /// When the first failure happened; `nil` while running.
    private(set) var pausedSince: ContinuousClock.Instant?

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// `true` after at least one failure.
    var isPaused: Bool { failures > 0 }

    /// An attempt failed at `now`; returns how long to wait before the next one.
    mutating func recordFailure(at now: ContinuousClock.Instant) -> Duration {
        if failures == 0 { pausedSince = now }
        failures += 1
        var wait = initial
        for _ in 1..<failures {
            wait *= 2
            if wait >= maximum { return maximum }
        }
        return min(wait, maximum)
    }

    /// An attempt succeeded at `now`; returns how long the batch was paused (`nil` if it never was).
    mutating func recordSuccess(at now: ContinuousClock.Instant) -> Duration? {
        defer {
            failures = 0
            pausedSince = nil
        }
        return pausedSince.map { now - $0 }
    }
}
