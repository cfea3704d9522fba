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
