import Synchronization

/// The acknowledgement state of every followed file, shared between the reading loop (which opens
/// batches) and the delivery tasks (which close them as Kafka acknowledges), and read by the registry
/// writer.
///
/// Thread-safe: one lock around a dictionary of ``AcknowledgementWindow``s.
final class ShippingLedger: Sendable {
    private struct State {
        var windows: [Int: AcknowledgementWindow] = [:]
        /// Bumped whenever an acknowledged offset moves, so the registry writer knows to write.
        var version = 0
    }

    private let state = Mutex(State())

    /// Starts following file `id` with every line before `offset` acknowledged.
    func open(_ id: Int, acknowledgedOffset offset: Int64) {
        state.withLock {
            $0.windows[id] = AcknowledgementWindow(acknowledgedOffset: offset)
            $0.version += 1
        }
    }

    /// Forgets file `id`.
    func close(_ id: Int) {
        state.withLock {
            $0.windows[id] = nil
            $0.version += 1
        }
    }

    /// Records a batch of file `id` ending at `end`; returns the generation to acknowledge it with.
    func begin(_ id: Int, end: Int64) -> Int {
        state.withLock { state in
            state.windows[id]?.begin(end: end)
            return state.windows[id]?.generation ?? -1
        }
    }

    /// Marks a batch acknowledged.
    func acknowledge(_ id: Int, end: Int64, generation: Int) {
        state.withLock { state in
            if state.windows[id]?.acknowledge(end: end, generation: generation) == true { state.version += 1 }
        }
    }

    /// Starts file `id` again at `offset` (after a truncation); returns the acknowledged offset of the
    /// old content.
    func restart(_ id: Int, at offset: Int64) -> Int64 {
        state.withLock { state in
            let old = state.windows[id]?.acknowledgedOffset ?? 0
            state.windows[id]?.restart(at: offset)
            state.version += 1
            return old
        }
    }

    /// The acknowledged offset of file `id` and whether nothing of it is in flight.
    func status(_ id: Int) -> (acknowledgedOffset: Int64, idle: Bool)? {
        state.withLock { state in state.windows[id].map { ($0.acknowledgedOffset, $0.isIdle) } }
    }

    /// Changes whenever an acknowledged offset moved or a file was opened or closed.
    var version: Int { state.withLock { $0.version } }
}
