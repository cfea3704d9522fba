import Foundation
import Testing

@testable import Shared

@Suite("Tracker requests: tp1, tp2 GET/POST, redirect")
struct TrackerProtocolRequestTests {
    let parser = TrackerRequestParser()

    /// One sample event per event type, as name/value pairs.
    static let samples: [(TrackerEventType, [(String, String)])] = [
        (.pageView, [("e", "pv"), ("url", "https://exämple.com/p?q=1&r=ü"), ("page", "Grüße 😀"), ("refr", "https://ref.example/")]),
        (.pagePing, [("e", "pp"), ("url", "https://example.com/"), ("pp_mix", "0"), ("pp_max", "100"), ("pp_miy", "-5"), ("pp_may", "2000")]),
        (.structured, [("e", "se"), ("se_ca", "café"), ("se_ac", "play+pause"), ("se_la", "a & b"), ("se_pr", "=p="), ("se_va", "1.5")]),
        (.structured, [("e", "ev"), ("ev_ca", "legacy"), ("ev_ac", "act")]),
        (.unstructured, [("e", "ue"), ("ue_pr", TrackerProtocolSelfDescribingTests.unstruct)]),
        (.transaction, [("e", "tr"), ("tr_id", "o-1"), ("tr_tt", "99.95"), ("tr_tx", "5.5"), ("tr_sh", "3"), ("tr_ci", "Zürich"), ("tr_cu", "CHF")]),
        (.transactionItem, [("e", "ti"), ("ti_id", "o-1"), ("ti_sk", "sku"), ("ti_nm", "Käse"), ("ti_pr", "19.99"), ("ti_qu", "2"), ("ti_cu", "CHF")]),
        (.adImpression, [("e", "ad"), ("ad_ba", "banner")]),
    ]
    static let common: [(String, String)] = [
        ("tv", "js-3.5.0"), ("p", "web"), ("aid", "app"), ("eid", "6F3C2B1A-0000-4000-8000-00000000ABCD"), ("dtm", "1700000000123"),
        ("co", TrackerProtocolSelfDescribingTests.contexts),
    ]

    /// `application/x-www-form-urlencoded` encoding as browsers do it (space → `+`).
    static func formEncode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._* ")
        func encode(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: " ", with: "+")
        }
        return pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    static func body(_ events: [JSONValue], schema: String = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4") -> String {
        JSONValue.object(["schema": .string(schema), "data": .array(events)]).serialized()
    }

    static func jsonEvent(_ pairs: [(String, String)]) -> JSONValue {
        .object(JSONObject(pairs.map { (key: $0.0, value: JSONValue.string($0.1)) }))
    }

    func post(_ body: String?, querystring: String? = nil, contentType: String? = "application/json") -> TrackerRequestOutcome {
        parser.parse(TrackerRequest(endpoint: .tp2, querystring: querystring, body: body, contentType: contentType))
    }

    // MARK: Every event type by GET and POST

    @Test(arguments: [TrackerRequest.Endpoint.pixel, .tp2])
    func everyEventTypeByGET(endpoint: TrackerRequest.Endpoint) throws {
        for (type, specific) in Self.samples {
            let pairs = Self.common + specific
            let outcome = parser.parse(TrackerRequest(endpoint: endpoint, querystring: Self.formEncode(pairs)))
            let events = try #require(outcome.events)
            #expect(events.count == 1)
            #expect(events[0].parameters == TrackerParameters(pairs))
            #expect(events[0].parameters.names == pairs.map(\.0))
            #expect(events[0].eventType == type)
            #expect(try events[0].contexts().get().count == 1)
        }
    }

    @Test func everyEventTypeByPOSTInOneBatch() throws {
        // The legacy ev_* names are not payload_data properties: only GET can carry them.
        let samples = Self.samples.filter { $0.1.first?.1 != "ev" }
        let batch = samples.map { Self.common + $0.1 }
        for contentType in TrackerRequestParser.acceptedContentTypes {
            let events = try #require(post(Self.body(batch.map(Self.jsonEvent)), contentType: contentType).events)
            #expect(events.map(\.parameters) == batch.map { TrackerParameters($0) })
            #expect(events.map(\.eventType) == samples.map { Optional($0.0) })
        }
        let legacy = post(Self.body([Self.jsonEvent(Self.common + [("e", "ev"), ("ev_ca", "c")])]))
        #expect(legacy.violations.map(\.field) == ["ev_ca"])
    }

    @Test func decodedFieldsOfSampleEvents() throws {
        let outcome = parser.parse(TrackerRequest(endpoint: .pixel, querystring: Self.formEncode(Self.common + Self.samples[0].1)))
        let event = try #require(outcome.events?.first)
        #expect(event.pageURL == "https://exämple.com/p?q=1&r=ü")
        #expect(event.pageTitle == "Grüße 😀")
        #expect(try event.eventID.get() == "6f3c2b1a-0000-4000-8000-00000000abcd")
        #expect(try event.deviceCreatedTimestamp.get()?.formatted == "2023-11-14 22:13:20.123")
        #expect(try event.validatedPlatform.get() == .web)
        let ue = try #require(parser.parse(TrackerRequest(endpoint: .pixel, querystring: Self.formEncode(Self.common + Self.samples[4].1))).events?.first)
        #expect(try ue.unstructEvent().get()?.schema.name == "link_click")
    }

    @Test func anyPayloadDataAdditionIsAccepted() throws {
        for version in ["1-0-0", "1-0-1", "1-0-2", "1-0-3", "1-0-4", "1-0-9"] {
            let body = Self.body([Self.jsonEvent([("e", "pv"), ("tv", "t"), ("p", "web")])], schema: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/\(version)")
            #expect(post(body).events?.count == 1)
        }
    }

    @Test func rawUnicodeAndEscapedUnicodeInTheBody() throws {
        let body = #"{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":[{"e":"pv","tv":"t","p":"web","page":"\ud83d\ude00 \u00e9","refr":"日本 😀"}]}"#
        let event = try #require(post(body).events?.first)
        #expect(event.pageTitle == "😀 é")
        #expect(event.pageReferrer == "日本 😀")
    }

    // MARK: Querystring merged into POST events

    @Test func querystringOverridesBodyFieldsInEveryEvent() throws {
        let body = Self.body([
            Self.jsonEvent([("e", "pv"), ("tv", "t"), ("p", "web"), ("aid", "body-app")]),
            Self.jsonEvent([("e", "se"), ("tv", "t"), ("p", "mob"), ("se_ca", "c")]),
        ])
        let events = try #require(post(body, querystring: "aid=qs-app&cv=custom&nuid=abc").events)
        #expect(events.count == 2)
        #expect(events.allSatisfy { $0[.appID] == "qs-app" && $0[.collectorVersion] == "custom" && $0[.networkUserID] == "abc" })
        #expect(events[0].parameters.names == ["e", "tv", "p", "aid", "cv", "nuid"])
        #expect(events[1][.platform] == "mob")
    }

    @Test func tp2GetWithoutBodyUsesTheQuerystring() throws {
        let events = try #require(post(nil, querystring: "e=pv&tv=t&p=web", contentType: nil).events)
        #expect(events.first?.parameters == ["e": "pv", "tv": "t", "p": "web"])
    }

    // MARK: Empty and missing parameters

    @Test func emptyAndMissingParametersOnGET() throws {
        let event = try #require(parser.parse(TrackerRequest(endpoint: .pixel, querystring: "e=pv&page=&url&aid=x")).events?.first)
        #expect(event[.pageTitle] == "")
        #expect(event.pageTitle == nil)
        #expect(event.pageURL == nil)
        #expect(event.parameters.contains("url"))
        #expect(event.pageReferrer == nil)
        #expect(try event.deviceCreatedTimestamp.get() == nil)
        #expect(event.trackerVersion == nil)  // tp1 does not require tv/p
    }

    @Test func emptyQuerystringOnPixelIsAViolation() {
        for querystring in [nil, "", "&&"] as [String?] {
            let outcome = parser.parse(TrackerRequest(endpoint: .pixel, querystring: querystring))
            #expect(outcome.violations.map(\.field) == ["querystring"])
            #expect(outcome.violations.first?.expectation == "empty querystring: not a valid tracker protocol event")
        }
    }

    // MARK: POST violations

    @Test func noBodyAndNoQuerystringGivesTwoViolations() {
        let outcome = post(nil, querystring: nil, contentType: nil)
        #expect(outcome.violations.map(\.field) == ["body", "querystring"])
    }

    @Test func wrongContentTypeIsAViolation() {
        for contentType in ["text/plain", "application/json;charset=utf-8", "application/x-www-form-urlencoded", "APPLICATION/JSON"] {
            let outcome = post(Self.body([Self.jsonEvent([("e", "pv"), ("tv", "t"), ("p", "web")])]), contentType: contentType)
            #expect(outcome.violations == [
                TrackerProtocolViolation(
                    .inputData, field: "contentType", value: contentType,
                    expectation: "expected one of application/json, application/json; charset=utf-8, application/json; charset=UTF-8")
            ])
        }
    }

    @Test func bodyWithoutContentTypeIsAViolation() {
        let outcome = post(Self.body([Self.jsonEvent([("e", "pv"), ("tv", "t"), ("p", "web")])]), contentType: nil)
        #expect(outcome.violations.map(\.field) == ["contentType"])
        #expect(outcome.violations.first?.value == nil)
    }

    @Test func contentTypeWithoutBodyIsAViolation() {
        let outcome = post(nil, querystring: "e=pv", contentType: "application/json")
        #expect(outcome.violations.map(\.field) == ["body"])
    }

    @Test func invalidJSONBody() {
        let outcome = post("{\"schema\":")
        #expect(outcome.violations.map(\.kind) == [.notJSON])
        #expect(outcome.violations.first?.field == "body")
    }

    @Test func bodyThatIsNotSelfDescribing() {
        for body in [#"[{"e":"pv"}]"#, #"{"data":[]}"#, #"{"schema":"payload_data","data":[]}"#] {
            #expect(post(body).violations.map(\.kind) == [.notSelfDescribing], "\(body)")
        }
    }

    @Test func badPayloadDataSchema() {
        let event = Self.jsonEvent([("e", "pv"), ("tv", "t"), ("p", "web")])
        for schema in ["iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0", "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-1-0",
            "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/2-0-0", "iglu:com.acme/payload_data/jsonschema/1-0-4"]
        {
            let outcome = post(Self.body([event], schema: schema))
            #expect(outcome.violations.map(\.kind) == [.criterionMismatch])
            #expect(outcome.violations.first?.value == schema)
        }
    }

    @Test func emptyDataArrayAndNonArrayData() {
        #expect(post(Self.body([])).violations.map(\.expectation) == ["empty list of events"])
        let objectData = #"{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":{"e":"pv"}}"#
        #expect(post(objectData).violations.map(\.field) == ["body"])
    }

    @Test func everyBadValueOfEveryEventIsCollected() {
        let body = #"{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":["#
            + #"{"e":"pv","tv":"t","p":"web","page":null,"vid":3},"#
            + #""not an object","#
            + #"{"e":"pv","p":"web"},"#
            + #"{"e":"pv","tv":"t","p":"web","custom":"x","res":{"w":1}}]}"#
        let outcome = post(body)
        let summary = outcome.violations.map { "\($0.eventIndex.map(String.init) ?? "-") \($0.field) \($0.value ?? "nil") \($0.expectation)" }
        #expect(summary == [
            "0 page nil value cannot be null",
            "0 vid 3 value is not a string",
            "1 body \"not an object\" event must be a JSON object, got string",
            "2 tv nil required by payload_data: missing",
            "3 custom x not a payload_data property (additionalProperties: false)",
            #"3 res {"w":1} value is not a string"#,
        ])
        #expect(outcome.events == nil)
    }

    @Test func missingRequiredFieldsAreEachReported() {
        let outcome = post(Self.body([.object(JSONObject())]))
        #expect(outcome.violations.map(\.field) == ["tv", "p", "e"])
        #expect(outcome.violations.allSatisfy { $0.eventIndex == 0 && $0.value == nil })
    }

    @Test func unknownBodyParametersCanBeAllowed() {
        let body = Self.body([Self.jsonEvent([("e", "pv"), ("tv", "t"), ("p", "web"), ("custom", "x")])])
        #expect(TrackerRequestParser(rejectsUnknownBodyParameters: false).parse(
            TrackerRequest(endpoint: .tp2, body: body, contentType: "application/json")).events?.first?.parameters["custom"] == "x")
    }

    @Test func malformedQuerystringOnPostIsReportedFirst() {
        let outcome = post(Self.body([Self.jsonEvent([("e", "pv"), ("tv", "t"), ("p", "web")])]), querystring: "aid=%zz")
        #expect(outcome.violations.map(\.kind) == [.malformedQueryString])
    }

    // MARK: Redirect

    func redirect(_ querystring: String?) -> TrackerRequestOutcome {
        parser.parse(TrackerRequest(endpoint: .redirect, querystring: querystring))
    }

    static let redirectEntity = #"{"schema":"iglu:com.snowplowanalytics.snowplow/uri_redirect/jsonschema/1-0-0","data":{"uri":"https://example.com/ü?a=1&b=2"}}"#
    static let target = "u=https%3A%2F%2Fexample.com%2F%C3%BC%3Fa%3D1%26b%3D2"

    @Test func redirectWithoutEventBecomesAnUnstructuredEvent() throws {
        let event = try #require(redirect(Self.target + "&aid=app&tv=ignored").events?.first)
        #expect(event.parameters == [
            "aid": "app", "tv": "r-tp2", "e": "ue", "p": "web",
            "ue_pr": #"{"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0","data":\#(Self.redirectEntity)}"#,
        ])
        #expect(event.parameters["u"] == nil)
        #expect(try event.unstructEvent().get()?.schema.name == "uri_redirect")
    }

    @Test func redirectWithEventAddsANewContext() throws {
        let event = try #require(redirect("e=se&se_ca=c&p=mob&" + Self.target).events?.first)
        #expect(event[.platform] == "mob")
        #expect(event[.trackerVersion] == "r-tp2")
        #expect(event[.contexts] == #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[\#(Self.redirectEntity)]}"#)
        #expect(try event.contexts().get().map(\.schema.name) == ["uri_redirect"])
    }

    @Test func redirectPrependsToExistingCo() throws {
        let querystring = "e=pv&" + Self.target + "&" + Self.formEncode([("co", TrackerProtocolSelfDescribingTests.contexts)])
        let event = try #require(redirect(querystring).events?.first)
        #expect(try event.contexts().get().map(\.schema.name) == ["uri_redirect", "ctx"])
        #expect(event[.contexts]?.contains(#""n":1.50"#) == true)  // number literal survives the rewrite
    }

    @Test func redirectPrependsToExistingCxAndReencodesIt() throws {
        for cx in [TrackerProtocolSelfDescribingTests.urlSafe(TrackerProtocolSelfDescribingTests.contexts, padded: true),
            TrackerProtocolSelfDescribingTests.standardBase64(TrackerProtocolSelfDescribingTests.contexts)]
        {
            let querystring = "e=pv&" + Self.target + "&" + Self.formEncode([("cx", cx), ("co", "ignored")])
            let event = try #require(redirect(querystring).events?.first)
            let newCx = try #require(event[.contextsBase64])
            #expect(!newCx.contains("=") && !newCx.contains("+") && !newCx.contains("/"))
            #expect(try event.contexts().get().map(\.schema.name) == ["uri_redirect", "ctx"])
            #expect(event[.contexts] == "ignored")
        }
    }

    @Test func redirectViolations() {
        #expect(redirect(nil).violations.map(\.expectation) == ["empty querystring: not a valid URI redirect"])
        let missing = redirect("e=pv&aid=x")
        #expect(missing.violations.map(\.expectation) == ["missing `u` parameter: not a valid URI redirect"])
        #expect(missing.violations.first?.value == "e=pv&aid=x")
        #expect(redirect("e=pv&" + Self.target + "&co=%7Bnot").violations.map(\.kind) == [.notJSON])
        #expect(redirect("e=pv&" + Self.target + "&cx=%24%24").violations.map(\.field) == ["cx"])
        #expect(redirect("u=%E2%28").violations.map(\.kind) == [.malformedQueryString])
    }

    @Test func endpointsFromCollectorPaths() {
        #expect(TrackerRequest.Endpoint(path: "/i") == .pixel)
        #expect(TrackerRequest.Endpoint(path: "/ice.png") == .pixel)
        #expect(TrackerRequest.Endpoint(path: "/i?e=pv") == .pixel)
        #expect(TrackerRequest.Endpoint(path: "/com.snowplowanalytics.snowplow/tp2") == .tp2)
        #expect(TrackerRequest.Endpoint(path: "/com.snowplowanalytics.snowplow/tp2/") == .tp2)
        #expect(TrackerRequest.Endpoint(path: "/r/tp2") == .redirect)
        #expect(TrackerRequest.Endpoint(path: "/com.snowplowanalytics.iglu/v1") == nil)
    }
}
