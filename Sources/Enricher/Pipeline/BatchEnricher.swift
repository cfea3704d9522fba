import Shared
import Synchronization

/// Enriches a batch of raw records on several workers at once (the enrichment is CPU-bound; one worker
/// per core), keeping input order in the output.
///
/// A batch is cut into contiguous slices, one per worker; each slice runs on a child task with an
/// ``EventProcessor`` taken from a pool (processors are not thread-safe and are reused between calls).
///
/// Threading: ``process(_:)`` may run for up to ``concurrentBatches`` batches at once (the service and the
/// offline mode start the next batch's enrichment while the previous one's last slice is still running,
/// so no core idles at the end of a batch); more concurrent calls still work, with extra processors.
final class BatchEnricher: Sendable {
    /// Batches that may be in ``process(_:)`` at the same time without creating processors beyond the
    /// initial pool. Default: 2.
    let concurrentBatches: Int
    private let workers: Int
    private let makeProcessor: @Sendable () -> EventProcessor
    private let idle: Mutex<[UncheckedProcessor]>

    init(workers: Int, concurrentBatches: Int = 2, makeProcessor: @escaping @Sendable () -> EventProcessor) {
        self.workers = max(1, workers)
        self.concurrentBatches = max(1, concurrentBatches)
        self.makeProcessor = makeProcessor
        self.idle = Mutex((0..<(self.workers * self.concurrentBatches)).map { _ in UncheckedProcessor(processor: makeProcessor()) })
    }

    /// The enriched events and bad rows of `records`, in record order.
    func process(_ records: [[UInt8]]) async -> EventProcessor.Output {
        let workers = min(self.workers, max(1, records.count / 64))
        if workers == 1 {
            let processor = checkOut()
            defer { checkIn(processor) }
            var output = EventProcessor.Output()
            for (index, record) in records.enumerated() { Self.process(record, at: index, with: processor.processor, into: &output) }
            return output
        }
        let sliceSize = (records.count + workers - 1) / workers
        var outputs = await withTaskGroup(of: (Int, EventProcessor.Output).self) { group in
            for worker in 0..<workers {
                let start = min(records.count, worker * sliceSize)
                let slice = Array(records[start..<min(records.count, (worker + 1) * sliceSize)])
                group.addTask { [self] in
                    let processor = checkOut()
                    defer { checkIn(processor) }
                    var output = EventProcessor.Output()
                    for (offset, record) in slice.enumerated() {
                        Self.process(record, at: start + offset, with: processor.processor, into: &output)
                    }
                    return (worker, output)
                }
            }
            var results = [EventProcessor.Output?](repeating: nil, count: workers)
            for await (worker, output) in group { results[worker] = output }
            return results
        }
        // The first worker's output becomes the result (moved, not copied: each event copied is 131
        // retains); the others are appended to it.
        var merged = EventProcessor.Output()
        let total = outputs.reduce(0) { $0 + ($1?.events.count ?? 0) }
        for index in outputs.indices {
            guard let output = outputs[index].take() else { continue }
            if merged.events.isEmpty, merged.badRows.isEmpty, merged.eventRecords.isEmpty {
                merged = consume output
                merged.events.reserveCapacity(total)
                continue
            }
            merged.events += output.events
            merged.badRows += output.badRows
            merged.eventRecords += output.eventRecords
        }
        return merged
    }

    /// Processes one record and notes `index` as the source record of each event it produced.
    private static func process(_ record: [UInt8], at index: Int, with processor: EventProcessor, into output: inout EventProcessor.Output) {
        let before = output.events.count
        processor.process(record: record, into: &output)
        output.eventRecords.append(contentsOf: repeatElement(index, count: output.events.count - before))
    }

    /// An idle processor, or a new one when all are in use.
    private func checkOut() -> UncheckedProcessor {
        idle.withLock { $0.popLast() } ?? UncheckedProcessor(processor: makeProcessor())
    }

    /// Returns `processor` to the pool.
    private func checkIn(_ processor: UncheckedProcessor) {
        idle.withLock { $0.append(processor) }
    }

    /// Hands a processor to exactly one task at a time (the pool's lock orders the hand-overs).
    private struct UncheckedProcessor: @unchecked Sendable {
        let processor: EventProcessor
    }
}
