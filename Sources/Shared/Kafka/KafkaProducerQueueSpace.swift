import Synchronization

/// Lets a sender whose record met a full local queue (`RD_KAFKA_RESP_ERR__QUEUE_FULL`) wait until
/// delivery reports have freed room, without blocking a thread: the polling thread calls ``signal()``
/// after every poll that served events.
///
/// A sender reads ``generation`` before trying to enqueue and passes it to ``wait(after:)``; if a
/// signal came in between, the wait returns at once, so a wake-up is never missed. A full queue
/// always has records in flight whose reports (or timeouts) will signal, so the wait always ends.
///
/// Thread-safe: all state sits behind one lock.
final class KafkaProducerQueueSpace: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Bumped by every ``signal()``.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Suspends until the first ``signal()`` after `generation` was read.
    func wait(after generation: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let signalled = state.withLock { state -> Bool in
                if state.generation != generation { return true }
                state.waiters.append(continuation)
                return false
            }
            if signalled { continuation.resume() }
        }
    }

    /// Wakes every waiter; called by the polling thread.
    func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
