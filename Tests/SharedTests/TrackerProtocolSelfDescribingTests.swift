import Foundation
import Testing

@testable import Shared

@Suite("Self-describing JSON, Iglu keys and base64 (§1.5)")
struct TrackerProtocolSelfDescribingTests {
    static let entity = #"{"schema":"iglu:com.acme/ctx/jsonschema/1-0-0","data":{"title":"Grüße 😀","n":1.50}}"#
    static let contexts = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[\#(entity)]}"#
    static let unstruct =
        #"{"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0","data":{"schema":"iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1","data":{"targetUrl":"https://ex.com/ü"}}}"#

    static func standardBase64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    static func urlSafe(_ text: String, padded: Bool) -> String {
        var encoded = standardBase64(text).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        if !padded { encoded = encoded.replacingOccurrences(of: "=", with: "") }
        return encoded
    }

    func violations(_ result: Result<[SelfDescribingJSON], ParameterViolations>) -> [ParameterViolation] {
        if case .failure(let failure) = result { return failure.all }
        return []
    }

    // MARK: Iglu keys

    @Test func parsesSchemaKeys() throws {
        let key = try #require(SchemaKey(uri: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"))
        #expect(key.vendor == "com.snowplowanalytics.snowplow")
        #expect(key.name == "payload_data")
        #expect(key.format == "jsonschema")
        #expect(key.version == SchemaVersion(model: 1, revision: 0, addition: 4))
        #expect(key.uri == "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4")
        #expect(SchemaKey(uri: "iglu:a-b_c.d/n-a_me/json-schema/12-10-0")?.version.model == 12)
    }

    @Test(arguments: [
        "com.acme/ctx/jsonschema/1-0-0", "iglu:com.acme/ctx/jsonschema/1-0", "iglu:com.acme/ctx/jsonschema/0-0-0",
        "iglu:com.acme/ctx/jsonschema/01-0-0", "iglu:com.acme/ctx/jsonschema/1-00-0", "iglu:com acme/ctx/jsonschema/1-0-0",
        "iglu:com.acme/c.tx/jsonschema/1-0-0", "iglu:com.acme//jsonschema/1-0-0", "iglu:com.acme/ctx/jsonschema/1-0-0/x",
        "iglu:com.acme/ctx/jsonschema/1-0-a", "iglu:com.acme/ctx/jsonschema/1-0-99999999999",
    ])
    func rejectsInvalidIgluURIs(uri: String) {
        #expect(SchemaKey(uri: uri) == nil)
    }

    @Test func criteriaMatchAnyAdditionOfModelOneRevisionZero() throws {
        for addition in 0...4 {
            let key = try #require(SchemaKey(uri: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-\(addition)"))
            #expect(SchemaCriterion.payloadData.matches(key))
        }
        #expect(!SchemaCriterion.payloadData.matches(try #require(SchemaKey(uri: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-1-0"))))
        #expect(!SchemaCriterion.payloadData.matches(try #require(SchemaKey(uri: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/2-0-0"))))
        #expect(SchemaCriterion.contexts.description == "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-*")
    }

    // MARK: Base64

    @Test func base64AcceptsBothAlphabetsWithAndWithoutPadding() {
        // Bytes chosen so the standard alphabet needs '+' and '/', and lengths exercise both paddings.
        for bytes: [UInt8] in [[0xFB, 0xFF], [0xFB, 0xEF, 0xBE, 0x3E], [0x00], [], Array("any carnal pleas".utf8)] {
            let standard = Data(bytes).base64EncodedString()
            let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            for variant in [standard, url, standard.replacingOccurrences(of: "=", with: ""), url.replacingOccurrences(of: "=", with: "")] {
                #expect((try? Base64.decode(variant.utf8, options: .lenient).get()) == bytes, "\(variant)")
            }
            #expect(Base64.encode(bytes, alphabet: .urlSafe, padded: false) == url.replacingOccurrences(of: "=", with: ""))
        }
    }

    @Test(arguments: ["abc$", "ab=c", "a", "abcde", "ab c", "ab===", "a="])
    func base64RejectsInvalidInput(text: String) {
        #expect((try? Base64.decode(text.utf8, options: .lenient).get()) == nil)
    }

    // MARK: Contexts and unstructured events

    @Test func decodesContextsFromEveryEncoding() throws {
        let encodings: [(String, String)] = [
            ("co", Self.contexts),
            ("cx", Self.urlSafe(Self.contexts, padded: true)),
            ("cx", Self.urlSafe(Self.contexts, padded: false)),
            ("cx", Self.standardBase64(Self.contexts)),
        ]
        for (name, value) in encodings {
            let event = TrackerEvent(parameters: TrackerParameters([(name: name, value: value)]))
            let entities = try event.contexts().get()
            #expect(entities.count == 1)
            #expect(entities.first?.schema.uri == "iglu:com.acme/ctx/jsonschema/1-0-0")
            #expect(entities.first?.serialized() == Self.entity)
        }
    }

    @Test func decodesUnstructEventFromPlainAndBase64() throws {
        for (name, value) in [("ue_pr", Self.unstruct), ("ue_px", Self.urlSafe(Self.unstruct, padded: false)), ("ue_px", Self.standardBase64(Self.unstruct))] {
            let event = TrackerEvent(parameters: TrackerParameters([(name: name, value: value)]))
            let inner = try #require(try event.unstructEvent().get())
            #expect(inner.schema.name == "link_click")
            #expect(inner.data["targetUrl"] == "https://ex.com/ü")
        }
    }

    @Test func surrogateEscapesInsideContextsDecodeToEmoji() throws {
        let co = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[{"schema":"iglu:com.acme/e/jsonschema/1-0-0","data":{"t":"\ud83d\ude00"}}]}"#
        let entities = try TrackerEvent(parameters: ["co": co]).contexts().get()
        #expect(entities.first?.data["t"] == "😀")
    }

    @Test func absentOrEmptyParametersMeanNoContextsAndNoEvent() throws {
        #expect(try TrackerEvent(parameters: ["e": "pv"]).contexts().get().isEmpty)
        #expect(try TrackerEvent(parameters: ["co": "", "cx": ""]).contexts().get().isEmpty)
        #expect(try TrackerEvent(parameters: ["ue_pr": ""]).unstructEvent().get() == nil)
    }

    @Test func cxWinsOverCo() throws {
        let other = Self.contexts.replacingOccurrences(of: "com.acme/ctx", with: "com.acme/other")
        let event = TrackerEvent(parameters: ["co": other, "cx": Self.urlSafe(Self.contexts, padded: false)])
        #expect(try event.contexts().get().first?.schema.name == "ctx")
    }

    @Test func invalidBase64IsNotBase64() {
        let found = violations(TrackerEvent(parameters: ["cx": "eyJ$$$"]).contexts())
        #expect(found.map(\.kind) == [.notBase64])
        #expect(found.first?.field == "cx" && found.first?.value == "eyJ$$$")
    }

    @Test func invalidJSONIsNotJSON() {
        for (name, value) in [("co", "{\"schema\":"), ("cx", Self.urlSafe("{not json}", padded: false))] {
            let found = violations(TrackerEvent(parameters: TrackerParameters([(name: name, value: value)])).contexts())
            #expect(found.map(\.kind) == [.notJSON])
            #expect(found.first?.field == name && found.first?.value == value)
        }
    }

    @Test func jsonDeeperThanTheLimitIsTooDeep() throws {
        func nested(_ levels: Int) -> String {
            String(repeating: "{\"a\":", count: levels) + "1" + String(repeating: "}", count: levels)
        }
        // Wrapper object (1), data array (2), entity (3), then n nested objects: 37 reach depth 40, the limit.
        let okay = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[{"schema":"iglu:com.acme/e/jsonschema/1-0-0","data":\#(nested(37))}]}"#
        #expect(try TrackerEvent(parameters: ["co": okay]).contexts().get().count == 1)
        let deep = okay.replacingOccurrences(of: nested(37), with: nested(38))
        let found = violations(TrackerEvent(parameters: ["co": deep]).contexts())
        #expect(found.map(\.kind) == [.jsonTooDeep])
        #expect(try TrackerEvent(parameters: ["co": deep]).contexts(maxJSONDepth: 50).get().count == 1)
    }

    @Test func wrongWrapperSchemaIsACriterionMismatch() {
        let asUnstruct = Self.contexts.replacingOccurrences(of: "contexts/jsonschema/1-0-1", with: "unstruct_event/jsonschema/1-0-0")
        let found = violations(TrackerEvent(parameters: ["co": asUnstruct]).contexts())
        #expect(found.map(\.kind) == [.criterionMismatch])
        let future = Self.contexts.replacingOccurrences(of: "contexts/jsonschema/1-0-1", with: "contexts/jsonschema/2-0-0")
        #expect(violations(TrackerEvent(parameters: ["co": future]).contexts()).map(\.kind) == [.criterionMismatch])
        guard case .failure(let failure) = TrackerEvent(parameters: ["ue_pr": Self.contexts]).unstructEvent() else {
            Issue.record("contexts accepted as unstruct_event")
            return
        }
        #expect(failure.all.map(\.kind) == [.criterionMismatch])
    }

    @Test(arguments: [
        #"[1,2]"#,
        #"{"data":[]}"#,
        #"{"schema":5,"data":[]}"#,
        #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0"}"#,
        #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0"}"#,
        #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[],"extra":1}"#,
        #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":{}}"#,
    ])
    func badWrapperStructureIsNotSelfDescribing(co: String) {
        #expect(violations(TrackerEvent(parameters: ["co": co]).contexts()).map(\.kind) == [.notSelfDescribing])
    }

    @Test func everyInvalidEntityIsReported() {
        let co = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[\#(Self.entity),"#
            + #"{"schema":"iglu:bad uri","data":{}},{"schema":"iglu:com.acme/e/jsonschema/1-0-0"},"#
            + #"{"schema":"iglu:com.acme/e/jsonschema/1-0-0","data":{},"hierarchy":{}},42]}"#
        let found = violations(TrackerEvent(parameters: ["co": co]).contexts())
        #expect(found.count == 4)
        #expect(found.allSatisfy { $0.kind == .notSelfDescribing && $0.field == "co" })
        #expect(found[0].expectation.contains("entity 1") && found[0].expectation.contains("Iglu URI"))
        #expect(found[1].expectation.contains("no data"))
        #expect(found[2].expectation.contains("hierarchy"))
        #expect(found[3].expectation.contains("number"))
    }

    @Test func unstructEventInnerMustBeSelfDescribing() {
        let bad = #"{"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0","data":{"targetUrl":"x"}}"#
        guard case .failure(let failure) = TrackerEvent(parameters: ["ue_pr": bad]).unstructEvent() else {
            Issue.record("accepted")
            return
        }
        #expect(failure.all.map(\.kind) == [.notSelfDescribing])
        #expect(failure.all.first?.field == "ue_pr")
    }
}
