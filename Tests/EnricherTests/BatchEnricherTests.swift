import Foundation
import Shared
import Testing

@testable import Enricher

/// ``BatchEnricher``: the output of a batch enriched on several workers — and while other batches are
/// enriched at the same time, sharing its processor pool — is exactly what one processor gives record
/// by record: the same events and bad rows, in record order, each event noted with its source record.
@Suite struct BatchEnricherTests {
    typealias P = EnricherTestPayloads

    /// `count` raw records: page views, three-event POST batches and records that are not collector
    /// payloads, in a mix that differs with `seed`, every event with its own `eid`.
    static func records(_ count: Int, seed: Int) -> [[UInt8]] {
        (0..<count).map { index in
            let id = String(format: "%08x-0000-4000-8000-%012x", seed, index)
            switch (index + seed) % 5 {
            case 0:
                return Array("not a collector payload \(seed) \(index)".utf8)
            case 1:
                let events = (0..<3).map { n -> [String: String] in
                    ["e": "se", "p": "web", "tv": "js-3.0.0", "se_ca": "c\(n)", "se_ac": "a\(index)", "eid": id.dropLast(1) + "\(n)",
                     "duid": "visitor-\(index % 7)"]
                }
                return P.post(events).thriftBytes()
            default:
                return P.get(P.query(["e": "pv", "p": "web", "tv": "js-3.0.0", "eid": id, "url": "https://shop.example.com/p/\(index)",
                                      "duid": "visitor-\(index % 7)"])).thriftBytes()
            }
        }
    }

    /// What one processor gives for `records`, record by record.
    static func sequential(_ records: [[UInt8]]) -> EventProcessor.Output {
        let processor = P.processor()
        var output = EventProcessor.Output()
        for (index, record) in records.enumerated() {
            let before = output.events.count
            processor.process(record: record, into: &output)
            output.eventRecords += repeatElement(index, count: output.events.count - before)
        }
        return output
    }

    @Test(arguments: [1, 3])
    func aBatchOnSeveralWorkersEqualsOneProcessorRecordByRecord(workers: Int) async {
        let enricher = BatchEnricher(workers: workers) { P.processor() }
        for count in [0, 1, 63, 64, 129, 200] {
            let records = Self.records(count, seed: count)
            let output = await enricher.process(records)
            let expected = Self.sequential(records)
            #expect(output.events == expected.events ? true : false, "events of \(count) records on \(workers) workers")
            #expect(output.badRows == expected.badRows ? true : false, "bad rows of \(count) records")
            #expect(output.eventRecords == expected.eventRecords)
        }
    }

    @Test func batchesEnrichedAtTheSameTimeKeepTheirOwnOrder() async {
        // More concurrent batches than the pool was built for (4 × up to 2 slices against 2 × 2 processors):
        // extra processors are made, none is shared.
        let enricher = BatchEnricher(workers: 2, concurrentBatches: 2) { P.processor() }
        let batches = (0..<4).map { Self.records(150 + $0 * 17, seed: $0 + 1) }
        let outputs = await withTaskGroup(of: (Int, EventProcessor.Output).self) { group in
            for (index, batch) in batches.enumerated() {
                group.addTask { (index, await enricher.process(batch)) }
            }
            var outputs = [Int: EventProcessor.Output]()
            for await (index, output) in group { outputs[index] = output }
            return outputs
        }
        for (index, batch) in batches.enumerated() {
            let expected = Self.sequential(batch)
            #expect(outputs[index]?.events == expected.events ? true : false, "events of batch \(index)")
            #expect(outputs[index]?.badRows == expected.badRows ? true : false, "bad rows of batch \(index)")
            #expect(outputs[index]?.eventRecords == expected.eventRecords)
            #expect((outputs[index]?.events.count ?? 0) > 150, "batch \(index) has events")
            #expect((outputs[index]?.badRows.count ?? 0) > 25, "batch \(index) has bad rows")
        }
    }
}
