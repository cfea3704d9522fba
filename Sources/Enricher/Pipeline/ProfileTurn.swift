import Synchronization

/// One batch's turn at the visitor profiles in Redis: consecutive batches must reach Redis in poll
/// order (a visitor's later batch never overtakes an earlier one), but only their round trips need to
/// be serial — preparing a batch's request, applying the answer to its events and encoding them run
/// while the next batch's round trip is under way.
///
/// A batch waits for its predecessor's turn to end (``waitUntilEnded()``) before sending, and ends its
/// own turn (``end()``) as soon as Redis answered it — or, when it sends nothing, once its predecessor's
/// turn ended (so the order stays transitive). Every turn must be ended exactly once or more: ``end()``
/// is idempotent.
///
/// Threading: `Sendable`; any task may wait or end.
final class ProfileTurn: Sendable {
    private struct State {
        var ended = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    init() {}

    /// Ends the turn and resumes everyone waiting for it. Idempotent.
    func end() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.ended else { return [] }
            state.ended = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once ``end()`` was called (at once if it was already). Not cancellable: a turn always ends
    /// (its batch's profile step ends it on every path).
    func waitUntilEnded() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.ended { return true }
                state.waiters.append(continuation)
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
