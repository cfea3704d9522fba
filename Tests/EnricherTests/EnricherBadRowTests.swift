import Foundation
import Shared
import Testing

@testable import Enricher

/// Each bad-row type from a crafted input; one bad row per failing event, the other events of the
/// payload go on; the precedence of reference §3.1 step 7.
@Suite struct EnricherBadRowTests {
    typealias P = EnricherTestPayloads

    static func kinds(_ output: EventProcessor.Output) -> [BadRow.Kind] { output.badRows.map(\.kind) }

    @Test func bytesThatAreNotACollectorPayloadAreAFormatViolation() throws {
        let record: [UInt8] = Array("definitely not thrift".utf8)
        let output = P.process(record: record)
        #expect(Self.kinds(output) == [.collectorPayloadFormatViolation])
        let summary = try #require(BadRowSummary(json: output.badRows[0].json()))
        #expect(summary.failureJSON.contains("thrift"))
        #expect(output.badRows[0].json().contains(RawRecordDecoder.base64(record)), "the payload is the raw record in base64")
    }

    @Test func zstdRecordsAndInvalidNetworkUserIdsAreFormatViolations() {
        #expect(Self.kinds(P.process(record: [0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3])) == [.collectorPayloadFormatViolation])
        var payload = P.get("e=pv&p=web")
        payload.networkUserId = "not-a-uuid"
        #expect(Self.kinds(P.process([payload])) == [.collectorPayloadFormatViolation])
        #expect(Self.kinds(P.process([P.get("e=pv&p=%zz")])) == [.collectorPayloadFormatViolation], "an undecodable querystring")
    }

    @Test func anUnknownVendorIsAnAdapterFailure() throws {
        let output = P.process([P.get("e=pv", path: "/com.acme/v9")])
        #expect(Self.kinds(output) == [.adapterFailures])
        #expect(output.badRows[0].json().contains("vendor/version combination is not supported"))
        #expect(output.badRows[0].json().contains(#""vendor":"com.acme""#))
    }

    @Test func protocolBreachesAreTrackerProtocolViolations() {
        #expect(Self.kinds(P.process([P.post(body: #"{"data":[]}"#, contentType: nil)])) == [.trackerProtocolViolations])
        #expect(Self.kinds(P.process([P.post(body: "not json")])) == [.trackerProtocolViolations])
        #expect(Self.kinds(P.process([P.post([["e": "pv", "p": "web"]])])) == [.trackerProtocolViolations], "tv missing")
        #expect(Self.kinds(P.process([P.get("", path: "/i")])) == [.trackerProtocolViolations], "empty querystring")
        #expect(Self.kinds(P.process([P.get("e=pv", path: "/r/tp2")])) == [.trackerProtocolViolations], "redirect without u")
    }

    @Test func conversionAndJSONProblemsAreSchemaViolationsOfThatEventOnly() throws {
        let events: [[String: String]] = [
            ["e": "pv", "p": "web", "tv": "t", "aid": "good-1"],
            ["e": "pv", "p": "web", "tv": "t", "dtm": "yesterday", "vid": "x", "aid": "bad"],
            ["e": "pv", "p": "web", "tv": "t", "aid": "good-2"],
            ["e": "pv", "p": "web", "tv": "t", "co": "{not json", "aid": "bad-json"],
            ["e": "zz", "p": "web", "tv": "t", "aid": "bad-type"],
        ]
        let output = P.process([P.post(events)])
        #expect(output.events.map(\.appId) == ["good-1", "good-2"])
        #expect(Self.kinds(output) == [.schemaViolations, .schemaViolations, .schemaViolations])
        let first = output.badRows[0].json()
        #expect(first.contains("dtm") && first.contains(#""vid""#), "every problem of the event is in its one bad row: \(first)")
        #expect(first.contains(#""name":"aid","value":"bad""#), "the raw parameters are kept")
        #expect(output.badRows[1].json().contains("NotJSON") || output.badRows[1].json().contains("co"))
    }

    @Test func anEventWithoutASchemaIsAnEnrichmentFailure() throws {
        let output = P.process([P.get("e=ad&p=web&aid=x")])
        #expect(output.events.isEmpty)
        #expect(Self.kinds(output) == [.enrichmentFailures])
        #expect(output.badRows[0].json().contains("event type is not recognised"))
    }

    @Test func enrichmentFailuresAreCollectedIntoOneBadRow() throws {
        var payload = P.get("e=ad&p=web&url=" + P.encode("http://exa mple.com:99999/%%"))
        payload.collector = ""
        let output = P.process([payload])
        #expect(Self.kinds(output) == [.enrichmentFailures])
        let summary = try #require(BadRowSummary(json: output.badRows[0].json()))
        #expect(summary.messages.count >= 2, "collector check, schema fields (and URL) together: \(summary.messages)")
    }

    @Test func schemaViolationsOfPhaseOneWinOverEnrichmentFailures() {
        // `e=ad` alone would be an enrichment failure; with a bad `dtm` the event is a schema violation.
        #expect(Self.kinds(P.process([P.get("e=ad&p=web&dtm=soon")])) == [.schemaViolations])
    }

    @Test func aTooLongColumnIsASchemaViolationAfterEnrichment() throws {
        let output = P.process([P.get("e=pv&p=web&aid=" + String(repeating: "a", count: 256))])
        #expect(Self.kinds(output) == [.schemaViolations])
        #expect(output.badRows[0].json().contains("Field is longer than maximum allowed size 255"))
        #expect(output.badRows[0].json().contains(#""path":"app_id""#))
    }

    @Test func everyBadRowValidatesAgainstItsIgluSchemaShape() throws {
        let payloads = [P.get("e=ad&p=web"), P.get("e=pv&p=web&dtm=x"), P.get("e=pv", path: "/com.acme/v1"), P.post(body: "x")]
        for row in P.process(payloads).badRows {
            let summary = try #require(BadRowSummary(json: row.json()))
            #expect(summary.kind == row.kind)
            #expect(summary.processor?.artifact == "freshet-enricher")
            #expect(!summary.messages.isEmpty)
        }
    }
}
