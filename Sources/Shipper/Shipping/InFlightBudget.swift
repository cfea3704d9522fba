import Synchronization

/// The shipper's back-pressure: a bound on records (and their bytes) read from the files and not yet
/// acknowledged by Kafka.
///
/// The reader calls ``waitForRoom()`` before reading the next batch; when Kafka is slow or down,
/// deliveries stop releasing room, the wait does not return, and reading pauses. Memory is bounded by
/// the limits plus one batch (a batch is admitted whenever the budget is below its limits, so one large
/// batch can always go through). When deliveries resume, ``release(records:bytes:)`` wakes the reader.
///
/// Thread-safe: all state sits behind one lock.
final class InFlightBudget: Sendable {
    private struct State {
        var records = 0
        var bytes = 0
        var closed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var emptyWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let maxRecords: Int
    let maxBytes: Int
    private let state = Mutex(State())

    init(maxRecords: Int, maxBytes: Int) {
        self.maxRecords = max(1, maxRecords)
        self.maxBytes = max(1, maxBytes)
    }

    /// Records in flight now.
    var records: Int { state.withLock { $0.records } }

    /// Returns once the records in flight are below both limits (or the budget was closed).
    func waitForRoom() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.closed || (state.records < maxRecords && state.bytes < maxBytes) { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Counts a batch handed to Kafka.
    func add(records: Int, bytes: Int) {
        state.withLock {
            $0.records += records
            $0.bytes += bytes
        }
    }

    /// Gives back a delivered (or abandoned) batch's share and wakes the reader if there is room.
    func release(records: Int, bytes: Int) {
        let (waiters, emptyWaiters) = state.withLock {
            state -> ([CheckedContinuation<Void, Never>], [CheckedContinuation<Void, Never>]) in
            state.records -= records
            state.bytes -= bytes
            var woken: [CheckedContinuation<Void, Never>] = []
            if state.records < maxRecords && state.bytes < maxBytes { swap(&woken, &state.waiters) }
            var empty: [CheckedContinuation<Void, Never>] = []
            if state.records == 0 { swap(&empty, &state.emptyWaiters) }
            return (woken, empty)
        }
        for waiter in waiters { waiter.resume() }
        for waiter in emptyWaiters { waiter.resume() }
    }

    /// Returns once nothing is in flight.
    func waitUntilEmpty() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let empty = state.withLock { state -> Bool in
                if state.records == 0 { return true }
                state.emptyWaiters.append(continuation)
                return false
            }
            if empty { continuation.resume() }
        }
    }

    /// Wakes the reader for good (shutdown): ``waitForRoom()`` returns at once from now on.
    func close() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
