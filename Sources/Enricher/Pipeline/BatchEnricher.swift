import Shared

/// Enriches a batch of raw records on several workers at once (the enrichment is CPU-bound; one worker
/// per core), keeping input order in the output.
///
/// Each worker owns one ``EventProcessor``; a batch is cut into contiguous slices, one per worker.
/// Call ``process(_:)`` from one task at a time (the processors are reused between calls).
final class BatchEnricher: @unchecked Sendable {
    // @unchecked: `processors` are non-Sendable classes; each is used by exactly one child task of
    // one `process` call, and calls are serialised by the caller (documented above).
    private let processors: [EventProcessor]

    init(workers: Int, makeProcessor: () -> EventProcessor) {
        self.processors = (0..<max(1, workers)).map { _ in makeProcessor() }
    }

    /// The enriched events and bad rows of `records`, in record order.
    func process(_ records: [[UInt8]]) async -> EventProcessor.Output {
        let workers = min(processors.count, max(1, records.count / 64))
        if workers == 1 {
            var output = EventProcessor.Output()
            for (index, record) in records.enumerated() { Self.process(record, at: index, with: processors[0], into: &output) }
            return output
        }
        let sliceSize = (records.count + workers - 1) / workers
        var outputs = await withTaskGroup(of: (Int, EventProcessor.Output).self) { group in
            for worker in 0..<workers {
                let processor = UncheckedProcessor(processor: processors[worker])
                let start = min(records.count, worker * sliceSize)
                let slice = Array(records[start..<min(records.count, (worker + 1) * sliceSize)])
                group.addTask {
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

    /// Hands a processor to exactly one child task.
    private struct UncheckedProcessor: @unchecked Sendable {
        let processor: EventProcessor
    }
}
