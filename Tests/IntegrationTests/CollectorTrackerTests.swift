import Foundation
import FreshetTestSupport
import Shared
import Testing

/// Snowplow's official Python tracker (`snowplow-tracker`) sends page views, structured events and
/// self-describing events with contexts, by GET and by POST in batches, to the real collector: every
/// event it reports as sent is found, decoded, in the collector's log files.
@Suite(.serialized) struct CollectorTrackerTests {
    struct Sent: Decodable {
        let eid: String
        let e: String
    }

    static let script = #"""
        import json, sys, warnings
        warnings.simplefilter("ignore")
        from snowplow_tracker import Tracker, Emitter, Subject, SelfDescribingJson
        from snowplow_tracker.events import PageView, StructuredEvent, SelfDescribing
        port, method, encode = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "b64"
        sent = []
        failed = []
        emitter = Emitter("127.0.0.1", protocol="http", port=port, method=method, batch_size=7,
                          on_success=lambda events: sent.extend(events), on_failure=lambda n, events: failed.extend(events))
        tracker = Tracker(namespace="collector-test", emitters=emitter, app_id="shop", encode_base64=encode,
                          subject=Subject().set_platform("web").set_user_id("ü-user"))
        ctx = [SelfDescribingJson("iglu:com.acme/product/jsonschema/1-0-0", {"sku": "sku-1", "name": "Käse 🧀"})]
        for i in range(10):
            tracker.track(PageView(page_url=f"https://shop.example.com/p/{i}?q=ä", page_title=f"Seite {i} – 😀", context=ctx))
            tracker.track(StructuredEvent(category="cart", action="add", label=f"item {i}", value=i * 1.5, context=ctx))
            tracker.track(SelfDescribing(SelfDescribingJson("iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
                                                            {"targetUrl": f"https://example.com/{i}"}), context=ctx))
        tracker.flush()
        print(json.dumps({"sent": [{"eid": p["eid"], "e": p["e"]} for p in sent], "failed": len(failed)}))
        """#

    struct Report: Decodable {
        let sent: [Sent]
        let failed: Int
    }

    @Test(arguments: [("get", "b64"), ("get", "json"), ("post", "b64"), ("post", "json")])
    func everyTrackedEventIsInTheLog(method: String, encoding: String) throws {
        let collector = try CollectorUnderTest()
        let output = try ChildProcess.python(Self.script, arguments: [String(collector.port), method, encoding])
        let report = try JSONDecoder().decode(Report.self, from: output.stdout)
        #expect(report.failed == 0, "\(output.stderrText)")
        #expect(report.sent.count == 30)

        let records = try collector.stopAndReadRecords()
        var logged: [String: TrackerEvent] = [:]
        for payload in records.payloads {
            let request = TrackerRequest(
                endpoint: try #require(TrackerRequest.Endpoint(path: payload.path ?? "")), querystring: payload.querystring,
                body: payload.body, contentType: payload.contentType)
            let events = try #require(TrackerRequestParser().parse(request).events, "\(payload)")
            for event in events { logged[event.parameters["eid"] ?? ""] = event }
        }
        #expect(records.payloads.allSatisfy { $0.path == (method == "get" ? "/i" : "/com.snowplowanalytics.snowplow/tp2") })
        if method == "post" { #expect(records.payloads.count < 30, "POSTs arrive in batches") }
        for sent in report.sent {
            let event = try #require(logged[sent.eid], "event \(sent.eid) reached the log")
            #expect(event.parameters["e"] == sent.e)
            #expect(event.parameters["aid"] == "shop")
            #expect(event.parameters["uid"] == "ü-user")
            let contexts = try event.contexts().get()
            #expect(contexts.count == 1, "the product context decodes from \(encoding)")
        }
    }
}
