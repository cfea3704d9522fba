import Foundation
import Logging
import Shared

/// `enricher file`: enriches collector log files (one base64 collector payload per line, the
/// collector's format) on the same code path as the service — ``BatchEnricher``, the profile stage,
/// ``EnricherOutputEncoder`` — and writes enriched TSV lines and bad-row JSON lines to files. For
/// replay, backfill and debugging.
///
/// Reads files in the order given, in batches of ``EnricherConfiguration/batchSize`` lines; memory is
/// bounded by one batch. A line that is not base64 becomes a `collector_payload_format_violation`.
struct OfflineEnrichment {
    let configuration: EnricherConfiguration
    let enricher: BatchEnricher
    let makeProcessor: () -> EventProcessor
    let profile: VisitorProfileGate
    let logger: Logger

    /// Counts of what a run produced.
    struct Summary: Sendable, Equatable {
        var lines = 0
        var enriched = 0
        var bad = 0
    }

    /// Enriches `inputs` into `output` (TSV) and `bad` (JSON lines); both are created or truncated.
    func run(inputs: [String], output: String, bad: String) async throws -> Summary {
        let encoder = EnricherOutputEncoder(
            enrichedTopic: "enriched", badTopic: "bad", maximumRecordBytes: configuration.maximumRecordBytes,
            processor: EnricherConfiguration.processor)
        let goodFile = try OutputFile(path: output)
        let badFile = try OutputFile(path: bad)
        let lineErrors = makeProcessor()
        var summary = Summary()
        var launcher = BatchLauncher(enricher: enricher)
        var writers: [Task<(enriched: Int, bad: Int), Error>] = []
        func completeOldest() async throws {
            let counts = try await writers.removeFirst().value
            summary.enriched += counts.enriched
            summary.bad += counts.bad
        }
        for input in inputs {
            guard let handle = FileHandle(forReadingAtPath: input) else {
                throw FreshetError(.io, "cannot open \(input) for reading")
            }
            defer { try? handle.close() }
            var pending: [UInt8] = []
            var records: [[UInt8]] = []
            var recordLines: [Int] = []  // line number of each of `records`: the profile's source is file:line
            var lineNumber = 0
            var unreadable: [BadRow] = []
            // Batch N's profile step, encoding and writing run in a task while batch N+1 is enriched;
            // up to `enricher.concurrentBatches` batches are enriched at once (no core idles at the end
            // of a batch); the profile round trips take turns and the writes are chained, so Redis sees
            // the batches and the files get the lines in input order.
            func flush() async throws {
                guard !records.isEmpty || !unreadable.isEmpty else { return }
                while writers.count > enricher.concurrentBatches { try await completeOldest() }
                let batch = await launcher.start(records)
                let (lines, unreadableRows, input) = (recordLines, unreadable, input)
                let (profile, encoder) = (self.profile, encoder)
                let previous = writers.last
                let writer = Task { () async throws -> (enriched: Int, bad: Int) in
                    var result = await batch.output()
                    result.badRows += unreadableRows
                    let sources = result.eventRecords.map { "\(input):\(lines[$0])" }
                    try await profile.apply(to: &result.events, sources: sources, order: batch.order)
                    let encoded = encoder.encode(result, now: SnowplowTimestamp.now())
                    var goodBytes: [UInt8] = []
                    var badBytes: [UInt8] = []
                    for record in encoded.records {
                        if record.topic == "enriched" {
                            goodBytes += record.value
                            goodBytes.append(0x0A)
                        } else {
                            badBytes += record.value
                            badBytes.append(0x0A)
                        }
                    }
                    if let previous { _ = try await previous.value }
                    try goodFile.write(goodBytes)
                    try badFile.write(badBytes)
                    return (encoded.enriched, encoded.badRows.count)
                }
                writers.append(writer)
                records = []
                recordLines = []
                unreadable = []
            }
            while true {
                let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                let atEnd = chunk.isEmpty
                pending += chunk
                if atEnd, !pending.isEmpty, pending.last != 0x0A { pending.append(0x0A) }
                let (lines, consumed) = pending.withUnsafeBytes { CollectorPayloadLogLine.completeLines(in: $0) }
                for range in lines {
                    var end = range.upperBound
                    if end > range.lowerBound, pending[end - 1] == 0x0D { end -= 1 }
                    guard end > range.lowerBound else { continue }
                    summary.lines += 1
                    lineNumber += 1
                    let line = Array(pending[range.lowerBound..<end])
                    switch Self.decodeBase64(line) {
                    case .some(let record):
                        records.append(record)
                        recordLines.append(lineNumber)
                    case .none: unreadable.append(lineErrors.unreadableLine(line, reason: "log line is not base64 of a collector payload"))
                    }
                    if records.count >= configuration.batchSize { try await flush() }
                }
                pending.removeFirst(consumed)
                if atEnd { break }
            }
            try await flush()
        }
        while !writers.isEmpty { try await completeOldest() }
        try goodFile.close()
        try badFile.close()
        return summary
    }

    /// The bytes a base64 line encodes, or `nil`.
    static func decodeBase64(_ line: [UInt8]) -> [UInt8]? {
        try? Base64.decode(line).get()
    }
}

/// A file written sequentially. Written by one task at a time (the offline mode's chained writers; each
/// awaits the previous one before writing).
final class OutputFile: @unchecked Sendable {
    // @unchecked Sendable: the handle is only used by one task at a time (see above).
    private let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw FreshetError(.io, "cannot create \(path)")
        }
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try handle.write(contentsOf: bytes)
    }

    func close() throws {
        try handle.synchronize()
        try handle.close()
    }
}
