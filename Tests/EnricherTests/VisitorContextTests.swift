import Foundation
import FreshetTestSupport
import Testing

@testable import Enricher
@testable import Shared

@Suite struct VisitorContextTests {
    static func time(_ text: String) -> SnowplowTimestamp { SnowplowTimestamp(iso8601: text)! }

    static let touch = VisitorTouch(
        attribution: .init(
            refererMedium: "search", refererSource: "Google", refererTerm: "a \"quoted\" term",
            refererHost: "www.google.com"),
        timestamp: time("2024-03-01T10:00:00.000Z"), maximumBytes: 255)!

    static let context = VisitorContext(
        visitor: VisitorIdentity(id: "5f1c0f7e-7d39-4a0e-9a55-0c7c0f1b2a3d", source: .domainUserid),
        firstSeen: time("2024-03-01T10:00:00.000Z"), lastSeen: time("2024-03-02T08:30:00.250Z"),
        eventCount: 12, pageViewCount: 7, visitCount: 2,
        sessionId: "0b8e51f6-6d7c-5a1b-9c2d-3e4f5a6b7c8d", sessionIndex: 2,
        sessionStartedAt: time("2024-03-02T08:00:00.000Z"),
        isNewVisitor: false, isNewSession: false, isLateEvent: true, duplicate: false,
        firstTouch: touch, lastTouch: nil)

    @Test func rendersEveryMemberInTheDocumentedOrder() {
        #expect(
            Self.context.selfDescribingJSON.serialized() == #"""
                {"schema":"iglu:io.freshet/visitor/jsonschema/1-0-0","data":{"visitorId":"5f1c0f7e-7d39-4a0e-9a55-0c7c0f1b2a3d",\#
                "visitorIdSource":"domain_userid","firstSeen":"2024-03-01T10:00:00.000Z","lastSeen":"2024-03-02T08:30:00.250Z",\#
                "eventCount":12,"pageViewCount":7,"visitCount":2,"sessionId":"0b8e51f6-6d7c-5a1b-9c2d-3e4f5a6b7c8d","sessionIndex":2,\#
                "sessionStartedAt":"2024-03-02T08:00:00.000Z","isNewVisitor":false,"isNewSession":false,"isLateEvent":true,\#
                "duplicate":false,"firstTouch":{"timestamp":"2024-03-01T10:00:00.000Z","medium":"search","source":"Google",\#
                "term":"a \"quoted\" term","campaign":null,"content":null,"clickId":null,"network":null,\#
                "refererHost":"www.google.com"},"lastTouch":null}}
                """#)
    }

    /// Oracle: Python's `jsonschema` (Draft 4, as Iglu uses) checks rendered contexts against the schema
    /// file the loader reads, `schemas/io.freshet/visitor/jsonschema/1-0-0`; a wrong one must fail.
    @Test func renderedContextsValidateAgainstTheSchemaFile() throws {
        let schemaPath = TestEnvironment.repositoryRoot.appendingPathComponent(
            "schemas/io.freshet/visitor/jsonschema/1-0-0"
        ).path
        var campaign = Self.context
        campaign.firstTouch = VisitorTouch(
            attribution: .init(
                marketingMedium: "email", marketingSource: "newsletter", marketingTerm: "t", marketingContent: "c",
                marketingCampaign: "spring", marketingClickId: "id", marketingNetwork: "n"),
            timestamp: Self.time("2024-01-01T00:00:00.000Z"), maximumBytes: 255)
        campaign.lastTouch = Self.touch
        campaign.visitor = VisitorIdentity(id: "nuid", source: .networkUserid)
        var broken = Self.context.json.objectValue!
        broken["sessionId"] = "not a uuid"
        broken["eventCount"] = "12"
        let documents = [
            Self.context.selfDescribingJSON.json, campaign.selfDescribingJSON.json,
            SelfDescribingJSON(schema: VisitorContext.schema, data: .object(broken)).json,
        ]
        let script = #"""
            import json, re, sys, uuid, datetime
            from jsonschema import Draft4Validator, FormatChecker
            schema = json.load(open(sys.argv[1]))
            Draft4Validator.check_schema(schema)
            checker = FormatChecker()
            @checker.checks("date-time")
            def date_time(value):
                if not isinstance(value, str): return True
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", value): return False
                datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
                return True
            @checker.checks("uuid")
            def is_uuid(value):
                try: return not isinstance(value, str) or str(uuid.UUID(value)) == value
                except ValueError: return False
            self_uri = "iglu:%s/%s/%s/%s" % tuple(schema["self"][k] for k in ("vendor", "name", "format", "version"))
            for line in sys.stdin:
                document = json.loads(line)
                errors = sorted(e.message for e in Draft4Validator(schema, format_checker=checker).iter_errors(document["data"]))
                if document["schema"] != self_uri: errors.append("schema " + document["schema"] + " != " + self_uri)
                print(json.dumps(errors))
            """#
        let input = documents.map { $0.serialized() }.joined(separator: "\n") + "\n"
        let result = try ChildProcess.python(script, arguments: [schemaPath], input: Data(input.utf8))
        #expect(result.status == 0, "\(result.stderrText)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == "[]")
        #expect(lines.dropFirst().first == "[]")
        #expect(lines.last?.contains("'not a uuid' is not a 'uuid'") == true, "\(lines.last ?? "")")
        #expect(lines.last?.contains("'12' is not of type 'integer'") == true, "\(lines.last ?? "")")
    }

    /// The direct writer (the hot path) against the JSON tree it replaces: byte for byte, over contexts
    /// with and without touches, both id sources, escapes, control characters, non-ASCII and large counts.
    @Test func directWriterMatchesTheJSONTree() {
        var campaign = Self.context
        campaign.visitor = VisitorIdentity(id: "nuid \"x\"\u{1}é", source: .networkUserid)
        campaign.firstTouch = VisitorTouch(
            attribution: .init(
                marketingMedium: "email", marketingSource: "news\\letter", marketingTerm: "t\n", marketingContent: "c",
                marketingCampaign: "spring 🌸", marketingClickId: "id", marketingNetwork: "n"),
            timestamp: Self.time("2024-01-01T00:00:00.000Z"), maximumBytes: 255)
        campaign.lastTouch = Self.touch
        campaign.eventCount = Int.max
        campaign.pageViewCount = 0
        campaign.visitCount = 1_000_000_007
        campaign.isNewVisitor = true
        campaign.isNewSession = true
        campaign.duplicate = true
        campaign.isLateEvent = false
        var noTouches = campaign
        noTouches.firstTouch = nil
        noTouches.lastTouch = nil
        for context in [Self.context, campaign, noTouches] {
            var bytes: [UInt8] = []
            context.writeSelfDescribing(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == context.selfDescribingJSON.serialized())
            // With the touches rendered once beforehand (as the reply decoder does for a batch).
            var withRendered: [UInt8] = []
            let rendered = VisitorContext.RenderedTouches(
                first: VisitorContext.renderTouch(context.firstTouch), last: VisitorContext.renderTouch(context.lastTouch))
            context.writeSelfDescribing(to: &withRendered, renderedTouches: rendered)
            #expect(withRendered == bytes)
            for text in [nil, #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[]}"#] {
                #expect(
                    RedisVisitorProfileStage.appending(context, renderedTouches: rendered, to: text)
                        == RedisVisitorProfileStage.appending(context, to: text))
            }
        }
    }

    /// Appending a context to `derived_contexts` directly gives the same text as appending its
    /// serialisation: no contexts yet, our own wrapper (empty and not), a foreign-looking one.
    @Test func directAppendMatchesAppendingTheSerialisation() {
        let wrapper = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":"#
        let existing: [String?] = [
            nil, "", wrapper + "[]}", wrapper + #"[{"schema":"iglu:a/b/jsonschema/1-0-0","data":{}}]}"#,
            #"{ "schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1", "data": [] }"#,
        ]
        for text in existing {
            let direct = RedisVisitorProfileStage.appending(Self.context, to: text)
            let viaTree = RedisVisitorProfileStage.appending(Self.context.selfDescribingJSON.serialized(), to: text)
            #expect(direct == viaTree, "\(text ?? "nil")")
        }
    }
}
