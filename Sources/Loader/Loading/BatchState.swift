/// The batching state machine: empty, or filling since a first row arrived with so many rows and
/// bytes; it says when to flush (``BatchPolicy``) and is reset by ``flushed()``.
///
/// Pure (time is passed in), so every transition is unit-tested on its own. Not shared between tasks.
struct BatchState: Sendable, Equatable {
    /// Why a batch is sent.
    enum FlushReason: String, Sendable, Equatable {
        case rows, bytes, delay, shutdown
    }

    enum State: Sendable, Equatable {
        case empty
        case filling(since: ContinuousClock.Instant, rows: Int, bytes: Int)
    }

    let policy: BatchPolicy
    private(set) var state: State = .empty

    init(policy: BatchPolicy) {
        self.policy = policy
    }

    var rows: Int {
        if case .filling(_, let rows, _) = state { return rows }
        return 0
    }

    var isEmpty: Bool { state == .empty }

    /// Records `count` rows of `bytes` encoded bytes added at `now` (the loader counts records it
    /// turns into bad rows too: they are committed with the batch). Returns the reason to flush now,
    /// if a limit is reached.
    mutating func added(rows count: Int = 1, bytes: Int, at now: ContinuousClock.Instant) -> FlushReason? {
        switch state {
        case .empty:
            state = .filling(since: now, rows: count, bytes: bytes)
        case .filling(let since, let rows, let total):
            state = .filling(since: since, rows: rows + count, bytes: total + bytes)
        }
        guard case .filling(_, let rows, let total) = state else { return nil }
        if rows >= policy.maximumRows { return .rows }
        if total >= policy.maximumBytes { return .bytes }
        return nil
    }

    /// `.delay` when a non-empty batch has waited ``BatchPolicy/maximumDelay`` by `now`.
    func due(at now: ContinuousClock.Instant) -> FlushReason? {
        guard case .filling(let since, _, _) = state, now - since >= policy.maximumDelay else { return nil }
        return .delay
    }

    /// How long until the batch is due (for the poll timeout); `nil` when empty.
    func timeUntilDue(at now: ContinuousClock.Instant) -> Duration? {
        guard case .filling(let since, _, _) = state else { return nil }
        return max(.zero, policy.maximumDelay - (now - since))
    }

    /// The batch was handed over for sending: start again empty.
    mutating func flushed() {
        state = .empty
    }
}
