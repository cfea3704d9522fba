import Synchronization

/// One batch's turn at the visitor profiles in Redis: consecutive batches must reach Redis in poll
/// order (a visitor's later batch never overtakes an earlier one), but only their calls need to be
/// serial — preparing a batch's request, applying the answer to its events and encoding them run
/// while other batches' calls are under way.
///
/// A turn has three moments, each implied by the next:
/// - **queued**: the batch's call was handed to the ordered Redis connection
///   (``RedisClient/evalScriptInOrder(_:keys:arguments:proceed:answered:enqueued:)``), which runs calls
///   in the order they were queued; the next batch waits for this (``waitUntilQueued()``) before queuing
///   its own, so the connection's thread goes from one batch's answer straight to the next batch's call.
/// - **answered**: Redis answered the call with a result (not an error reply); set on the connection's
///   thread before the next queued call runs, which sends only if its predecessor was answered
///   (``isAnswered``) — after a failed call or an error reply, the calls queued behind it are withheld and
///   retried in order instead of overtaking its retry.
/// - **ended**: the batch is done with Redis (answered, skipped, failed or had nothing to send); a batch
///   retrying after a failure waits for its predecessor's end (``waitUntilEnded()``).
///
/// Every turn must be ended exactly once or more: ``end()`` is idempotent and also marks the turn queued
/// and answered.
///
/// Threading: `Sendable`; any task or thread may mark, wait or end.
final class ProfileTurn: Sendable {
    private struct State {
        var queued = false
        var answered = false
        var ended = false
        var queuedWaiters: [CheckedContinuation<Void, Never>] = []
        var endedWaiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    init() {}

    /// Marks the batch's call queued and resumes everyone waiting for that. Idempotent.
    func markQueued() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.queued else { return [] }
            state.queued = true
            defer { state.queuedWaiters = [] }
            return state.queuedWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Marks the batch's call answered by Redis (called on the connection's thread).
    func markAnswered() {
        state.withLock { $0.answered = true }
    }

    /// Whether Redis answered the batch's call, or the turn ended.
    var isAnswered: Bool { state.withLock { $0.answered } }

    /// Ends the turn (marking it queued and answered too) and resumes everyone waiting for it. Idempotent.
    func end() {
        let (queuedWaiters, endedWaiters) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [CheckedContinuation<Void, Never>]) in
            guard !state.ended else { return ([], []) }
            state.ended = true
            state.queued = true
            state.answered = true
            defer {
                state.queuedWaiters = []
                state.endedWaiters = []
            }
            return (state.queuedWaiters, state.endedWaiters)
        }
        for waiter in queuedWaiters { waiter.resume() }
        for waiter in endedWaiters { waiter.resume() }
    }

    /// Returns once the batch's call was queued or the turn ended (at once if it already was).
    func waitUntilQueued() async {
        await wait { $0.queued } register: { $0.queuedWaiters.append($1) }
    }

    /// Returns once ``end()`` was called (at once if it was already). Not cancellable: a turn always ends
    /// (its batch's profile step ends it on every path).
    func waitUntilEnded() async {
        await wait { $0.ended } register: { $0.endedWaiters.append($1) }
    }

    /// Resumes at once when `reached` says so, else registers the continuation (under the lock, so a
    /// mark or end in between cannot be missed).
    private func wait(
        _ reached: (State) -> Bool, register: (inout State, CheckedContinuation<Void, Never>) -> Void
    ) async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if reached(state) { return true }
                register(&state, continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// Where a batch's visitor-profile round trip stands in the order of batches: after `previous` (`nil`:
/// first, or unordered), as `turn` (`nil`: nobody waits for it).
struct ProfileOrder: Sendable {
    var previous: ProfileTurn?
    var turn: ProfileTurn?

    init(after previous: ProfileTurn? = nil, turn: ProfileTurn? = nil) {
        self.previous = previous
        self.turn = turn
    }

    /// No ordering (tests, single calls).
    static let unordered = ProfileOrder()

    /// Waits for the predecessor, then ends this turn: for a batch that sent nothing, or failed.
    func pass() async {
        await previous?.waitUntilEnded()
        turn?.end()
    }
}
