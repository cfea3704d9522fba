import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// Oracle: the official Snowplow Python Analytics SDK (`snowplow-analytics-sdk` in the project venv)
/// parses our TSV lines; its JSON must equal our own Analytics-SDK rendering, value for value and type
/// for type.
@Suite struct EnrichedEventAnalyticsSDKTests {
    /// Reads `{"tsv": …, "ours": …}` lines; answers one JSON line each with the SDK's output (or its
    /// errors) and whether it equals ours with JSON types compared strictly (a bool is not a number).
    static let script = #"""
        import json, sys
        from snowplow_analytics_sdk import event_transformer
        from snowplow_analytics_sdk.snowplow_event_transformation_exception import SnowplowEventTransformationException

        def same(a, b):
            if isinstance(a, bool) or isinstance(b, bool):
                return type(a) is type(b) and a == b
            if isinstance(a, int) and isinstance(b, int):
                return a == b
            if isinstance(a, (int, float)) and isinstance(b, (int, float)):
                return float(a) == float(b)
            if type(a) is not type(b):
                return False
            if isinstance(a, dict):
                return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
            if isinstance(a, list):
                return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
            return a == b

        print(len(event_transformer.ENRICHED_EVENT_FIELD_TYPES), flush=True)
        for raw in sys.stdin:
            request = json.loads(raw)
            try:
                sdk = event_transformer.transform(request["tsv"])
                ours = json.loads(request["ours"]) if request["ours"] is not None else None
                print(json.dumps({"sdk": sdk, "equal": ours is not None and same(sdk, ours)}), flush=True)
            except SnowplowEventTransformationException as error:
                print(json.dumps({"errors": error.error_messages, "equal": request["ours"] is None}), flush=True)
        """#

    struct Verdict {
        var sdk: JSONValue?
        var errors: [String]
        var equal: Bool
    }

    /// Runs the SDK over the events' TSV lines.
    static func runSDK(_ events: [EnrichedEvent]) throws -> (fieldCount: Int, verdicts: [Verdict]) {
        var lines: [String] = []
        for event in events {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("tsv")
            writer.string(event.tsvLine())
            writer.key("ours")
            switch event.analyticsSDKJSON() {
            case .success(let json): writer.string(json)
            case .failure: writer.null()
            }
            writer.endObject()
            lines.append(writer.string)
        }
        let output = try ChildProcess.python(script, input: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(output.status == 0, "\(output.stderrText)")
        let answer = output.stdoutText.split(separator: "\n").map(String.init)
        let fieldCount = Int(answer.first ?? "") ?? -1
        let verdicts = answer.dropFirst().map { line -> Verdict in
            let json = try? JSONParser().parse(line).get()
            return Verdict(
                sdk: json?["sdk"], errors: json?["errors"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                equal: json?["equal"] == .bool(true))
        }
        return (fieldCount, verdicts)
    }

    @Test func sdkExpects131ColumnsAndAgreesWithOurJSONForTheFullEvent() throws {
        let (fieldCount, verdicts) = try Self.runSDK([EnrichedEventSamples.full])
        #expect(fieldCount == 131)
        let verdict = try #require(verdicts.first)
        #expect(verdict.errors.isEmpty)
        #expect(verdict.equal)
        let sdk = try #require(verdict.sdk)
        // What the SDK itself made of our columns.
        #expect(sdk["app_id"] == .string("app_id ✓ Grüße 日本 👋 \"q\" \\ #1"))
        #expect(sdk["etl_tstamp"] == .string("0001-01-01T00:00:00.000Z"))
        #expect(sdk["collector_tstamp"] == .string("9999-12-31T23:59:59.999Z"))
        #expect(sdk["refr_device_tstamp"] == .string("1900-03-01T00:00:00.000Z"))
        #expect(sdk["txn_id"] == .number(JSONNumber(literal: "9223372036854775807")!))
        #expect(sdk["pp_xoffset_min"] == .number(JSONNumber(literal: "-9223372036854775808")!))
        #expect(sdk["geo_location"] == .string("-33.8688,1e-05"))
        #expect(sdk["se_value"] == .string("-12.50"))
        #expect(sdk["br_features_pdf"] == .bool(true))
        #expect(sdk["br_features_flash"] == .bool(false))
        #expect(sdk["unstruct_event_com_snowplowanalytics_snowplow_link_click_1"]?["targetUrl"]
            == .string("https://example.com/a?b=c&d=\"e\""))
        #expect(sdk["contexts_com_acme-corp_shop_cart_item_2"]?.arrayValue?.count == 2)
        #expect(sdk["contexts_com_snowplowanalytics_snowplow_web_page_1"]?.arrayValue?.count == 1)
        #expect(sdk["contexts_nl_basjes_yauaa_context_1"]?.arrayValue?.first?["deviceClass"] == .string("Desktop"))
        #expect(sdk["contexts"] == nil && sdk["unstruct_event"] == nil && sdk["derived_contexts"] == nil)
    }

    @Test func sdkAgreesOnMinimalAndSanitizedEvents() throws {
        var sanitized = EnrichedEventSamples.minimal
        sanitized.pageTitle = "tab\there\nnewline"
        sanitized.appId = "\u{1}"
        sanitized.seValue = SnowplowDecimal("0.10")
        sanitized.trTotal = SnowplowDecimal("1000")
        sanitized.geoLatitude = 52.52  // without a longitude: no geo_location
        var clash = EnrichedEventSamples.minimal
        // Same entity schema in contexts and derived_contexts: the SDK keeps the derived array.
        clash.contexts = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[{"schema":"iglu:com.acme/thing/jsonschema/1-0-0","data":{"from":"tracker"}}]}"#
        clash.derivedContexts = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[{"schema":"iglu:com.acme/thing/jsonschema/1-2-0","data":{"from":"enrich"}}]}"#
        let (_, verdicts) = try Self.runSDK([EnrichedEventSamples.minimal, sanitized, clash])
        #expect(verdicts.count == 3)
        for verdict in verdicts { #expect(verdict.equal, "\(String(describing: verdict.sdk)) \(verdict.errors)") }
        #expect(verdicts[1].sdk?["page_title"] == .string("tab    herenewline"))
        #expect(verdicts[1].sdk?["app_id"] == nil)
        #expect(verdicts[1].sdk?["geo_location"] == nil)
        #expect(verdicts[2].sdk?["contexts_com_acme_thing_1"] == .array([.object(["from": .string("enrich")])]))
    }

    @Test func eventsTheSDKRejectsAreRejectedByOurRenderingToo() throws {
        var badSchema = EnrichedEventSamples.minimal
        badSchema.unstructEvent = #"{"schema":"x","data":{"schema":"iglu:com.acme/thing/jsonschema/0-1-0","data":{}}}"#
        var noData = EnrichedEventSamples.minimal
        noData.unstructEvent = #"{"schema":"x","data":{"schema":"iglu:com.acme/thing/jsonschema/1-0-0"}}"#
        var badVendor = EnrichedEventSamples.minimal
        badVendor.contexts = #"{"schema":"x","data":[{"schema":"iglu:com.ac me/thing/jsonschema/1-0-0","data":{}}]}"#
        let events = [badSchema, noData, badVendor]
        for event in events {
            guard case .failure = event.analyticsSDKJSON() else {
                Issue.record("accepted: \(event.tsvLine())")
                continue
            }
        }
        let (_, verdicts) = try Self.runSDK(events)
        #expect(verdicts.count == 3)
        for verdict in verdicts {
            #expect(!verdict.errors.isEmpty)
            #expect(verdict.equal)
        }
    }

    @Test(arguments: [
        ("iglu:com.acme/linkClick/jsonschema/1-0-0", "x_com_acme_link_click_1"),
        ("iglu:com.acme/ABCDef/jsonschema/12-0-3", "x_com_acme_abcdef_12"),
        ("iglu:com.acme/aBcD/jsonschema/1-0-0", "x_com_acme_a_bc_d_1"),
        ("iglu:com.Acme-Co.x_y/a1B_C/jsonschema/1-0-0", "x_com_acme-co_x_y_a1_b_c_1"),
        ("iglu:com.acme/x-Y/jsonschema/1-10-0", "x_com_acme_x-_y_1"),
    ])
    func schemaKeysFollowThePythonSDK(schema: String, key: String) {
        #expect(EnrichedEvent.analyticsSDKKey(prefix: "x", schema: schema) == key)
    }

    @Test(arguments: [
        "iglu:com.acme/x/jsonschema/0-0-0", "iglu:com.acme/x/jsonschema/1-01-0", "iglu:com.acme/x/jsonschema/1-0",
        "com.acme/x/jsonschema/1-0-0", "iglu:com.acme/x.y/jsonschema/1-0-0", "iglu:/x/jsonschema/1-0-0",
    ])
    func invalidIgluURIsHaveNoKey(schema: String) {
        #expect(EnrichedEvent.analyticsSDKKey(prefix: "x", schema: schema) == nil)
    }
}
