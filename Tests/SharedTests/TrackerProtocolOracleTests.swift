import Foundation
import Testing

@testable import Shared

import FreshetTestSupport

/// Snowplow's official Python tracker (`snowplow-tracker` 1.1.0 in the project venv) as an oracle:
/// it sends real GET and POST requests to a throwaway HTTP server inside the same Python process,
/// which prints the raw requests plus what the tracker says it sent (its own payload dictionaries,
/// with `cx`/`ue_px` decoded by Python's base64 and json modules). Our parser must read back every
/// parameter and every self-describing JSON.
@Suite("Python tracker oracle")
struct TrackerProtocolOracleTests {
    struct Capture: Decodable {
        struct Request: Decodable {
            let method: String
            let path: String
            let query: String
            let contentType: String?
            let body: String?
        }
        struct Sent: Decodable {
            let params: [String: String]
            let contextEntities: [String]
            let unstructEvent: String?
        }
        let requests: [Request]
        let sent: [Sent]
    }

    static let script = #"""
import json, sys, threading, warnings, base64
from http.server import BaseHTTPRequestHandler, HTTPServer
warnings.simplefilter("ignore")
from snowplow_tracker import Tracker, Emitter, Subject, SelfDescribingJson
from snowplow_tracker.events import PageView, PagePing, StructuredEvent, SelfDescribing

method = sys.argv[1]            # "get" or "post"
encode = sys.argv[2] == "b64"   # base64 on/off

captured = []
class Handler(BaseHTTPRequestHandler):
    def _record(self, body):
        path, _, query = self.path.partition("?")
        captured.append({"method": self.command, "path": path, "query": query,
                         "contentType": self.headers.get("Content-Type"), "body": body})
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self): self._record(None)
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self._record(self.rfile.read(n).decode("utf-8"))
    def log_message(self, *args): pass

server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()

sent = []
emitter = Emitter("127.0.0.1", protocol="http", port=server.server_address[1], method=method,
                  batch_size=50, on_success=lambda events: sent.extend(events))
subject = Subject().set_platform("web").set_user_id("utilisateur-é").set_screen_resolution(1920, 1080) \
    .set_viewport(1280, 720).set_color_depth(24).set_timezone("Europe/Zürich").set_lang("de-CH") \
    .set_domain_user_id("d-uid").set_domain_session_id("6F3C2B1A-0000-4000-8000-00000000ABCD") \
    .set_domain_session_index(3).set_ip_address("203.0.113.7").set_useragent("Mozilla/5.0 (X11; Linux) Ü") \
    .set_network_user_id("4d4b1c1f-3c7e-4a6b-9f5c-2b1a0e9d8c7b")
tracker = Tracker(namespace="ns-oracle", emitters=emitter, subject=subject, app_id="app ✓", encode_base64=encode)

ctx = [SelfDescribingJson("iglu:com.acme/page_ctx/jsonschema/1-0-0",
                          {"emoji": "😀 \U0001F680", "quote": "a \"b\" \\ c\n", "n": 1.5, "nested": {"list": [1, None, True]}})]
tracker.track(PageView(page_url="https://exämple.com/päth?q=ä b&x=1#frag", page_title="Grüße – 日本語 😀",
                       referrer="https://ref.example/?a=b&c=%20", context=ctx))
tracker.track(PagePing(page_url="https://example.com/", min_x=0, max_x=100, min_y=-5, max_y=2000))
tracker.track(StructuredEvent(category="café", action="play+pause", label="étiquette & co", property_="=prop=", value=1.5, context=ctx))
tracker.track(SelfDescribing(SelfDescribingJson("iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
                                                {"targetUrl": "https://example.com/ü?x=1&y=2", "elementClasses": ["a", "b"]}), context=ctx))
tracker.track_ecommerce_transaction(order_id="order-1", total_value=99.95, affiliation="shop", tax_value=5.5, shipping=3,
    city="Zürich", state="ZH", country="CH", currency="CHF",
    items=[{"sku": "sku-1", "price": 19.99, "quantity": 2, "name": "Käse", "category": "food"}])
tracker.flush()
server.shutdown()

def expected(event):
    params = {k: str(v) for k, v in event.items()}
    decoded = {}
    for key, b64 in (("cx", True), ("co", False), ("ue_px", True), ("ue_pr", False)):
        if key in params:
            text = base64.urlsafe_b64decode(params[key]).decode("utf-8") if b64 else params[key]
            decoded[key] = json.loads(text)
    return {"params": params, "decoded": {k: json.dumps(v, ensure_ascii=False, separators=(",", ":")) for k, v in decoded.items()},
            "contextEntities": [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for k in ("cx", "co") if k in decoded for e in decoded[k]["data"]],
            "unstructEvent": next((json.dumps(decoded[k]["data"], ensure_ascii=False, separators=(",", ":")) for k in ("ue_px", "ue_pr") if k in decoded), None)}

print(json.dumps({"requests": captured, "sent": [expected(e) for e in sent]}, ensure_ascii=False))
"""#

    func capture(method: String, base64: Bool) throws -> Capture {
        let output = try ChildProcess.python(Self.script, arguments: [method, base64 ? "b64" : "raw"])
        #expect(output.status == 0, "\(output.stderrText)")
        return try JSONDecoder().decode(Capture.self, from: output.stdout)
    }

    func events(of capture: Capture) throws -> [TrackerEvent] {
        let parser = TrackerRequestParser()
        var events: [TrackerEvent] = []
        for request in capture.requests {
            let endpoint = try #require(TrackerRequest.Endpoint(path: request.path))
            let outcome = parser.parse(
                TrackerRequest(
                    endpoint: endpoint, querystring: request.query.isEmpty ? nil : request.query, body: request.body,
                    contentType: request.contentType?.lowercased()))
            events += try #require(outcome.events, "\(outcome.violations)")
        }
        return events
    }

    @Test(arguments: [("get", true), ("get", false), ("post", true), ("post", false)])
    func parserReadsBackEverythingTheTrackerSent(method: String, base64: Bool) throws {
        let capture = try capture(method: method, base64: base64)
        #expect(capture.requests.allSatisfy { $0.method == method.uppercased() })
        #expect(capture.requests.count == (method == "get" ? 6 : 1))
        let events = try events(of: capture)
        try #require(events.count == capture.sent.count)
        #expect(events.count == 6)
        for (event, sent) in zip(events, capture.sent) {
            #expect(event.parameters == TrackerParameters(sent.params.map { (name: $0.key, value: $0.value) }))
            #expect(event.parameters.contains(base64 ? "cx" : "co") == !sent.contextEntities.isEmpty)
            #expect(!event.parameters.contains(base64 ? "co" : "cx"))
            #expect(try event.contexts().get().map { $0.serialized() } == sent.contextEntities)
            #expect(try event.unstructEvent().get()?.serialized() == sent.unstructEvent)
            #expect(try event.validatedEventType.get() != nil)
            #expect(try event.eventID.get() != nil)
            #expect(try event.deviceCreatedTimestamp.get() != nil)
            #expect(try event.deviceSentTimestamp.get() != nil)
            #expect(try event.domainSessionID.get() == "6f3c2b1a-0000-4000-8000-00000000abcd")
            #expect(try event.screenResolution.get() == ViewDimensions(width: 1920, height: 1080))
        }
        let types = events.compactMap(\.eventType)
        #expect(types == [.pageView, .pagePing, .structured, .unstructured, .transaction, .transactionItem])
        #expect(events[0].pageTitle == "Grüße – 日本語 😀")
        #expect(events[0].pageURL == "https://exämple.com/päth?q=ä b&x=1#frag")
        #expect(events[0].timezone == "Europe/Zürich")
        #expect(events[2].structLabel == "étiquette & co")
        #expect(try events[2].structValue.get()?.plainText == "1.5")
        #expect(try events[1].pingYOffsetMin.get() == -5)
        #expect(try events[5].itemQuantity.get() == 2)
        #expect(try events[4].transactionTotal.get()?.plainText == "99.95")
        #expect(try events[0].contexts().get().first?.data["emoji"] == "😀 🚀")
        #expect(events.filter { $0.parameters.contains(base64 ? "cx" : "co") }.count == 3)
    }
}
