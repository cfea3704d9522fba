import Shared
import Testing

@testable import Loader

@Suite struct FlattenedEntitiesTests {
    let derived = """
        {"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[\
        {"schema":"iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0","data":{"useragentFamily":"Firefox","useragentMajor":"121","useragentMinor":null,"osFamily":"Ubuntu","deviceFamily":"Other"}},\
        {"schema":"iglu:com.snowplowanalytics.snowplow/asn/jsonschema/1-0-1","data":{"number":3320,"organization":"Deutsche Telekom AG"}},\
        {"schema":"iglu:com.snowplowanalytics.snowplow/bot_detection/jsonschema/1-0-1","data":{"bot":false,"indicators":[]}},\
        {"schema":"iglu:io.freshet/visitor/jsonschema/1-0-0","data":{"visitorId":"v-1","firstSeen":"2025-03-01T10:00:00.123Z","eventCount":12,"visitCount":-1,"sessionId":"s-9","sessionIndex":3,"firstTouch":{"medium":"search","source":"Google","campaign":null},"lastTouch":{"medium":"email"}}}]}
        """

    @Test func readsTheKnownEntities() {
        let entities = FlattenedEntities(derivedContexts: derived)
        #expect(entities[.uaFamily] == .string("Firefox"))
        #expect(entities[.uaMajor] == .string("121"))
        #expect(entities[.uaMinor] == nil)
        #expect(entities[.uaOsFamily] == .string("Ubuntu"))
        #expect(entities[.asnNumber] == .count(3320))
        #expect(entities[.asnOrganization] == .string("Deutsche Telekom AG"))
        #expect(entities[.isBot] == .flag(false))
        #expect(entities[.visitorId] == .string("v-1"))
        #expect(entities[.visitorFirstSeen] == .timestamp(SnowplowTimestamp(iso8601: "2025-03-01T10:00:00.123Z")!))
        #expect(entities[.visitorEventCount] == .count(12))
        #expect(entities[.visitorVisitCount] == nil, "a negative count is left empty")
        #expect(entities[.visitorSessionIndex] == .count(3))
        #expect(entities[.visitorFirstTouchSource] == .string("Google"))
        #expect(entities[.visitorFirstTouchCampaign] == nil)
        #expect(entities[.visitorLastTouchMedium] == .string("email"))
        #expect(entities[.visitorLastTouchSource] == nil)
    }

    @Test func leavesEverythingEmptyWithoutEntitiesOrWithBrokenJSON() {
        #expect(FlattenedEntities(derivedContexts: nil) == .empty)
        #expect(FlattenedEntities(derivedContexts: #"{"schema":"x","data":[]}"#) == .empty)
        #expect(FlattenedEntities(derivedContexts: #"{"data":[{"schema":"iglu:io.freshet/visitor/jsonschema/1-0-0","data":{"#) == .empty)
    }
}

/// ``DerivedContextsScanner`` (one pass over the bytes) against the full JSON parser's flattening.
@Suite struct DerivedContextsScannerTests {
    static let visitor = "iglu:io.freshet/visitor/jsonschema/1-0-0"
    static let ua = "iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0"

    static let documents: [String] = [
        FlattenedEntitiesTests().derived,
        DirectEncodingTests.derived,
        #"  {"data" : [ {"data":{"visitorId":"a","eventCount":1.0,"visitCount":1e2,"sessionIndex":-0,"pageViewCount":4294967296}, "schema":"\#(visitor)"} ] , "schema":"x"}  "#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":"first","visitorId":"last","firstTouch":"flat","lastTouch":{"medium":7,"source":true,"campaign":""}}}]}"#,
        #"{"data":[{"schema":"\#(ua)","data":[]},{"schema":"\#(ua)","data":{"useragentFamily":"second"}},{"schema":"\#(ua)","data":{"useragentFamily":"third"}}]}"#,
        #"{"data":[1,"x",null,{"schema":7,"data":{}},{"schema":"\#(visitor)"},{"schema":"\#(visitor)","data":{"firstSeen":"2025-03-01 10:00:00.123","lastSeen":"yesterday","sessionStartedAt":"2025-03-01T10:00:00Z"}}]}"#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":"ünï — ✓","sessionId":"","isBot":false}},{"schema":"iglu:com.snowplowanalytics.snowplow/bot_detection/jsonschema/1-0-1","data":{"bot":true}}]}"#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":"a"}}]} trailing"#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":"a",}}]}"#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":01}}]}"#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":"a"}}]"#,
        #"{"data":{"schema":"\#(visitor)","data":{"visitorId":"a"}}}"#,
        #"[{"schema":"\#(visitor)","data":{"visitorId":"a"}}]"#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":"a\"b\u00e9"}}]}"#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":"a"}}],"data":[]}"#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":"a","eventCount":12,"x":[[[[{"y":[1,2,{"z":null}]}]]]]}}]}"#,
        #"{"data":[{"schema":"\#(visitor)","data":{"visitorId":tru}}]}"#,
    ]

    @Test(arguments: documents) func givesTheParsersValues(document: String) {
        let expected = FlattenedEntities(derivedContexts: document)
        let scanned = Array(document.utf8).withUnsafeBytes { FlattenedEntities(derivedContexts: $0) }
        for field in EntityField.allCases {
            #expect(scanned[field] == expected[field], "\(field)")
        }
    }

    @Test func leavesEscapesAndDuplicateContextKeysToTheParser() {
        for document in [
            #"{"data":[{"schema":"\#(Self.visitor)","data":{"visitorId":"a\"b"}}]}"#,
            #"{"data":[{"schema":"\#(Self.visitor)","schema":"\#(Self.visitor)","data":{}}]}"#,
        ] {
            #expect(Array(document.utf8).withUnsafeBytes { DerivedContextsScanner.entities(in: $0) } == nil, "\(document)")
        }
        let usual = FlattenedEntitiesTests().derived
        #expect(Array(usual.utf8).withUnsafeBytes { DerivedContextsScanner.entities(in: $0) } != nil)
    }
}
