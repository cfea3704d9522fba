import Foundation
import FreshetTestSupport
import Shared
import Testing

@testable import Enricher

/// Each adapter (tp1 `/i` and `/ice.png`, tp2 GET and POST, `r/tp2`) and each event type, end to end
/// through the per-record path: payload bytes in, enriched events out.
@Suite struct EnricherAdapterTests {
    typealias P = EnricherTestPayloads

    @Test(arguments: ["/i", "/ice.png", "/com.snowplowanalytics.snowplow/tp1", "/com.snowplowanalytics.snowplow/tp2"])
    func getRequestsBecomeOneEvent(path: String) throws {
        let output = P.process([P.get(P.query(["e": "pv", "p": "web", "tv": "js-3.5.0", "url": "https://shop.example.com/a?b=1#c", "page": "Home"]), path: path)])
        #expect(output.badRows.isEmpty, "\(output.badRows.map { $0.json() })")
        let event = try #require(output.events.first)
        #expect(output.events.count == 1)
        #expect(event.event == "page_view")
        #expect(event.pageTitle == "Home")
        #expect(event.pageUrlhost == "shop.example.com")
        #expect(event.pageUrlpath == "/a")
        #expect(event.pageUrlquery == "b=1")
        #expect(event.pageUrlfragment == "c")
        #expect(event.pageUrlport == 443)
        #expect(event.vCollector == P.collector)
        #expect(event.vEtl == "freshet-enricher-\(FreshetVersion.current)")
        #expect(event.networkUserid == P.networkUserID)
        #expect(event.userIpaddress == "203.0.113.7")
        #expect(event.collectorTstamp?.millisecondsSinceEpoch == P.timestamp)
        #expect(event.etlTstamp?.millisecondsSinceEpoch == 1_700_000_001_000)
        #expect(event.eventVendor == "com.snowplowanalytics.snowplow")
        #expect(event.eventName == "page_view")
        #expect(event.eventFormat == "jsonschema")
        #expect(event.eventVersion == "1-0-0")
        let eventID = try #require(event.eventId)
        #expect(UUID(uuidString: eventID) != nil && eventID == eventID.lowercased())
    }

    @Test func aPostBatchIsSplitIntoItsEventsWithTheQuerystringMergedIn() throws {
        let events: [[String: String]] = (0..<3).map { ["e": "pv", "p": "web", "tv": "js-3.5.0", "eid": "0000000\($0)-0000-4000-8000-000000000000", "aid": "body"] }
        let output = P.process([P.post(events, querystring: "aid=query")])
        #expect(output.badRows.isEmpty, "\(output.badRows.map { $0.json() })")
        #expect(output.events.map(\.eventId) == (0..<3).map { "0000000\($0)-0000-4000-8000-000000000000" })
        #expect(output.events.allSatisfy { $0.appId == "query" }, "querystring parameters override body fields")
    }

    @Test func aRedirectWithoutAnEventBecomesAURIRedirectEvent() throws {
        let payload = P.get(P.query(["u": "https://target.example.org/x"]), path: "/r/tp2")
        let output = P.process([payload])
        let event = try #require(output.events.first, "\(output.badRows.map { $0.json() })")
        #expect(event.event == "unstruct")
        #expect(event.vTracker == "r-tp2")
        #expect(event.platform == "web")
        #expect(event.eventName == "uri_redirect")
        #expect(event.unstructEvent?.contains(#""uri":"https://target.example.org/x""#) == true)
    }

    @Test func aRedirectWithAnEventAddsAURIRedirectEntity() throws {
        let payload = P.get(P.query(["u": "https://target.example.org/x", "e": "se", "se_ca": "c", "se_ac": "a"]), path: "/r/tp2")
        let event = try #require(P.process([payload]).events.first)
        #expect(event.event == "struct")
        let contexts = try #require(event.contexts)
        #expect(contexts.contains("uri_redirect"))
    }

    @Test func everyEventTypeGetsItsColumnsAndSchema() throws {
        let unstruct = #"{"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0","data":{"schema":"iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1","data":{"targetUrl":"https://x.example"}}}"#
        let contexts = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[{"schema":"iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0","data":{"id":"3c1a8f0e-1234-4abc-8def-0123456789ab"}}]}"#
        let cases: [(KeyValuePairs<String, String>, (EnrichedEvent) -> Bool)] = [
            (["e": "pv", "url": "http://a.example/"], { $0.event == "page_view" && $0.pageUrlport == 80 }),
            (["e": "pp", "pp_mix": "1", "pp_max": "2", "pp_miy": "3", "pp_may": "4"],
             { $0.event == "page_ping" && $0.ppXoffsetMin == 1 && $0.ppYoffsetMax == 4 && $0.eventName == "page_ping" }),
            (["e": "se", "se_ca": "cat", "se_ac": "act", "se_la": "lab", "se_pr": "prop", "se_va": "1.50"],
             { $0.event == "struct" && $0.seCategory == "cat" && $0.seValue?.text == "1.50" && $0.eventVendor == "com.google.analytics" }),
            (["e": "ev", "ev_ca": "legacy", "ev_ac": "act"], { $0.event == "struct" && $0.seCategory == "legacy" }),
            (["e": "ue", "ue_pr": unstruct],
             { $0.event == "unstruct" && $0.eventVendor == "com.snowplowanalytics.snowplow" && $0.eventName == "link_click" && $0.eventVersion == "1-0-1" }),
            (["e": "ue", "ue_px": Data(unstruct.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")],
             { $0.eventName == "link_click" && $0.unstructEvent?.contains("targetUrl") == true }),
            (["e": "tr", "tr_id": "o1", "tr_tt": "10.5", "tr_tx": "1", "tr_sh": "2", "tr_cu": "EUR"],
             { $0.event == "transaction" && $0.trOrderid == "o1" && $0.trTotal?.text == "10.5" && $0.trCurrency == "EUR" }),
            (["e": "ti", "ti_id": "o1", "ti_sk": "sku", "ti_nm": "name", "ti_pr": "3.25", "ti_qu": "2"],
             { $0.event == "transaction_item" && $0.tiQuantity == 2 && $0.tiPrice?.text == "3.25" && $0.eventName == "transaction_item" }),
            (["e": "pv", "co": contexts, "res": "1920x1080", "vp": "800x600", "ds": "1000x3000", "cookie": "1", "f_pdf": "0", "lang": "de"],
             { $0.contexts?.contains("web_page") == true && $0.dvceScreenwidth == 1920 && $0.brViewheight == 600 && $0.docHeight == 3000
                 && $0.brCookies == true && $0.brFeaturesPdf == false && $0.brLang == "de" }),
        ]
        for (parameters, check) in cases {
            let query = P.query(parameters) + "&p=web&tv=js-3.5.0"
            let output = P.process([P.get(query)])
            let event = try #require(output.events.first, "\(parameters): \(output.badRows.map { $0.json() })")
            #expect(check(event), "\(parameters) → \(event.tsvLine())")
        }
    }

    @Test func precedenceRulesOfIdentityAndRequestFields() throws {
        // ip > X-Forwarded-For > Forwarded > payload; tnuid > nuid > cookie; ua > header; url > Referer; cv > collector.
        let headers = ["X-Forwarded-For: 198.51.100.1, 10.0.0.1", "Forwarded: for=192.0.2.60"]
        var event = try #require(P.process([P.get("e=pv&p=web", headers: headers)]).events.first)
        #expect(event.userIpaddress == "198.51.100.1")
        #expect(event.pageUrl == "https://shop.example.com/landing", "page_url falls back to the Referer header")
        #expect(event.useragent == "Mozilla/5.0")
        event = try #require(P.process([P.get("e=pv&p=web", headers: ["Forwarded: for=\"[2001:db8::1]\""])]).events.first)
        #expect(event.userIpaddress == "2001:db8::1")
        event = try #require(
            P.process([P.get("e=pv&p=web&ip=192.0.2.9&nuid=n1&tnuid=t1&ua=Bot%2F1&url=https%3A%2F%2Fp.example%2F&cv=custom", headers: headers)]).events.first)
        #expect(event.userIpaddress == "192.0.2.9")
        #expect(event.networkUserid == "t1")
        #expect(event.useragent == "Bot/1")
        #expect(event.pageUrl == "https://p.example/")
        #expect(event.vCollector == "custom")
        event = try #require(P.process([P.get("e=pv&p=web&nuid=n1")]).events.first)
        #expect(event.networkUserid == "n1")
        event = try #require(P.process([P.get("e=pv&p=web&eid=ABCDEF01-2345-4678-89AB-CDEF01234567")]).events.first)
        #expect(event.eventId == "abcdef01-2345-4678-89ab-cdef01234567")
    }

    @Test func gzipBatchedRecordsAreUnpacked() throws {
        let payloads = (0..<3).map { P.get("e=pv&p=web&aid=a\($0)").thriftBytes() }
        let batch = CollectorRecord.packBatch(payloads)
        let gzipped = try Self.gzip(batch)
        let output = P.process(record: gzipped)
        #expect(output.badRows.isEmpty)
        #expect(output.events.map(\.appId) == ["a0", "a1", "a2"])
    }

    /// gzip by the system's `gzip` (an independent encoder).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        [UInt8](try ChildProcess.run("/bin/gzip", ["-c"], input: Data(bytes)).stdout)
    }
}
