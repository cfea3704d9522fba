/// Exponential backoff with jitter between retries of an insert (or a bad-row delivery) that failed
/// with a retriable error: the n-th wait is drawn from [d/2, d] with d = min(initial × 2ⁿ, maximum),
/// so many loaders recovering at once do not retry in lockstep.
///
/// A plain value holding the attempt count; `reset()` after a success. `random` is injectable for
/// tests (it returns a fraction in [0, 1]).
struct RetryBackoff: Sendable {
    /// First wait's upper bound. Default: 100 ms.
    var initial: Duration = .milliseconds(100)
    /// Upper bound of every wait. Default: 10 s.
    var maximum: Duration = .seconds(10)
    private(set) var attempts = 0
    private let random: @Sendable () -> Double

    init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10), random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.initial = initial
        self.maximum = maximum
        self.random = random
    }

    /// The upper bound of the next wait, without consuming it.
    var nextCeiling: Duration {
        var ceiling = initial
        for _ in 0..<min(attempts, 40) {
            ceiling *= 2
            if ceiling >= maximum { return maximum }
        }
        return min(ceiling, maximum)
    }

    /// The next wait; counts an attempt.
    mutating func next() -> Duration {
        let ceiling = nextCeiling
        attempts += 1
        let fraction = min(max(random(), 0), 1)
        return ceiling / 2 + (ceiling / 2) * fraction
    }

    /// Starts over after a success.
    mutating func reset() {
        attempts = 0
    }
}
