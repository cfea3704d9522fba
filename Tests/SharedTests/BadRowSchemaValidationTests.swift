import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// Oracle: the real iglu-central JSON Schemas of the bad rows, checked with Python's `jsonschema`
/// (Draft 4, as Iglu uses; `date-time` and `uuid` formats checked too).
///
/// The schema texts are from snowplow/iglu-central (Apache-2.0), `schemas/com.snowplowanalytics.snowplow.badrows/`:
/// size_violation 1-0-0 (e7819a72), collector_payload_format_violation 1-0-0 (fa55a6f6),
/// adapter_failures 1-0-0 (3baaa57a), tracker_protocol_violations 1-0-1 (b3a9e498),
/// schema_violations 2-0-1 (d6bf6736), enrichment_failures 2-0-1 (fde813d8). Only the `description`
/// members are left out; every validation keyword is as published. Parts repeated verbatim across
/// schemas (processor, Iglu client error, raw event, partially enriched event) are written once below.
@Suite struct BadRowSchemaValidationTests {
    static let processor = #"""
        {"type":"object","properties":{"artifact":{"type":"string","maxLength":512},
         "version":{"type":"string","pattern":"^(\\d+\\.\\d+\\.\\d+.*)$","maxLength":32}},
         "required":["artifact","version"],"additionalProperties":false}
        """#

    static let timestamp = #"{"type":"string","format":"date-time"}"#

    static let inputData = #"""
        {"type":"object","properties":{"field":{"type":"string","maxLength":64},"value":{"type":["string","null"]},
         "expectation":{"type":"string","maxLength":256}},"required":["field","expectation"],"additionalProperties":false}
        """#

    static let notJSON = #"""
        {"type":"object","properties":{"field":{"type":"string","maxLength":64},"value":{"type":["string","null"]},
         "error":{"type":"string"}},"required":["field","error"],"additionalProperties":false}
        """#

    static let notIglu = #"""
        {"type":"object","properties":{"json":{},"error":{"type":"string",
         "enum":["INVALID_SCHEMAVER","INVALID_IGLUURI","INVALID_DATA_PAYLOAD","INVALID_SCHEMA"]}},
         "required":["json","error"],"additionalProperties":false}
        """#

    static let criterionMismatch = #"""
        {"type":"object","properties":{"schemaKey":{"type":"string"},"schemaCriterion":{"type":"string"}},
         "required":["schemaKey","schemaCriterion"],"additionalProperties":false}
        """#

    /// The `IgluError` message: `{"schemaKey", "error": <iglu client error>}`.
    static let igluError = #"""
        {"type":"object","properties":{"schemaKey":{"type":"string"},"error":{"anyOf":[
          {"properties":{"error":{"enum":["ResolutionError"]},"lookupHistory":{"type":"array","minItems":1,"items":{
            "type":"object","properties":{"repostitory":{"type":"string"},"errors":{"type":"array","minItems":1,"items":{
              "type":"object","properties":{"error":{"enum":["RepoFailure","ClientFailure","NotFound"]},
              "message":{"type":"string","maxLength":256}},"required":["error"]}},
             "attempts":{"type":"integer","minimum":0},"lastAttempt":{"type":"string","format":"date-time"}},
            "required":["repository","errors","attempts","lastAttempt"]}}},
           "required":["error","lookupHistory"],"additionalProperties":false},
          {"properties":{"error":{"enum":["ValidationError"]},"supersededBy":{"type":["string","null"],"maxLength":32},
           "dataReports":{"type":"array","minItems":1,"items":{"properties":{"message":{"type":"string"},
             "path":{"type":["string","null"]},"keyword":{"type":["string","null"]},"targets":{"type":["array","null"]}},
             "required":["path","message","keyword","targets"],"additionalProperties":false}}},
           "required":["dataReports"],"additionalProperties":false},
          {"properties":{"error":{"enum":["ValidationError"]},"supersededBy":{"type":["string","null"],"maxLength":32},
           "schemaIssues":{"type":"array","minItems":1,"items":{"type":"object","properties":{"path":{"type":"string"},
             "message":{"type":"string"}},"required":["path","message"],"additionalProperties":false}}},
           "required":["error"],"additionalProperties":false}]}},
         "additionalProperties":false}
        """#

    /// The collector payload of adapter_failures / tracker_protocol_violations; the two differ only in
    /// which querystring item members are required.
    static func collectorPayload(requiredParameterMembers: String) -> String {
        #"""
        {"type":"object","properties":{"vendor":{"type":"string","maxLength":64},"version":{"type":"string","maxLength":16},
         "querystring":{"type":["array","null"],"items":{"type":"object","properties":{
           "name":{"type":"string","maxLength":512},"value":{"type":["string","null"],"maxLength":512}},
           "required":\#(requiredParameterMembers),"additionalProperties":false}},
         "contentType":{"type":["string","null"],"maxLength":256},"body":{"type":["string","null"]},
         "collector":{"type":"string","maxLength":32},"encoding":{"type":"string","maxLength":32},
         "hostname":{"type":["string","null"],"maxLength":8192},"timestamp":{"type":["string","null"],"format":"date-time"},
         "ipAddress":{"type":["string","null"],"maxLength":128},"useragent":{"type":["string","null"],"maxLength":4096},
         "refererUri":{"type":["string","null"],"maxLength":8192},
         "headers":{"type":["array","null"],"items":{"type":"string","maxLength":8192}},
         "networkUserId":{"type":["string","null"],"format":"uuid"}},
         "required":["vendor","version","collector","encoding"],"additionalProperties":false}
        """#
    }

    static let rawEvent = #"""
        {"type":"object","properties":{"vendor":{"type":"string","maxLength":64},"version":{"type":"string","maxLength":16},
         "parameters":{"type":["array","null"],"items":{"type":"object","properties":{
           "name":{"type":"string","maxLength":512},"value":{"type":["string","null"],"maxLength":512}},
           "required":["name","value"],"additionalProperties":false}},
         "contentType":{"type":["string","null"],"maxLength":256},"loaderName":{"type":"string","maxLength":32},
         "encoding":{"type":"string","maxLength":32},"hostname":{"type":["string","null"],"maxLength":8192},
         "timestamp":{"type":["string","null"],"format":"date-time"},"ipAddress":{"type":["string","null"],"maxLength":128},
         "useragent":{"type":["string","null"],"maxLength":4096},"refererUri":{"type":["string","null"],"maxLength":8192},
         "headers":{"type":["array","null"],"items":{"type":"string","maxLength":8192}},
         "userId":{"type":["string","null"],"format":"uuid"}},
         "required":["vendor","version","loaderName","encoding"],"additionalProperties":false}
        """#

    /// The schema's `enriched` properties, in the schema's order; all `["string","null"]` except those
    /// listed as integer or number.
    static let enrichedNames = """
        app_id platform etl_tstamp collector_tstamp dvce_created_tstamp event event_id txn_id name_tracker v_tracker
        v_collector v_etl user_id user_ipaddress user_fingerprint domain_userid domain_sessionidx network_userid
        geo_country geo_region geo_city geo_zipcode geo_latitude geo_longitude geo_region_name ip_isp ip_organization
        ip_domain ip_netspeed page_url page_title page_referrer page_urlscheme page_urlhost page_urlport page_urlpath
        page_urlquery page_urlfragment refr_urlscheme refr_urlhost refr_urlport refr_urlpath refr_urlquery
        refr_urlfragment refr_medium refr_source refr_term mkt_medium mkt_source mkt_term mkt_content mkt_campaign
        contexts se_category se_action se_label se_property se_value unstruct_event tr_orderid tr_affiliation tr_total
        tr_tax tr_shipping tr_city tr_state tr_country ti_orderid ti_sku ti_name ti_category ti_price ti_quantity
        pp_xoffset_min pp_xoffset_max pp_yoffset_min pp_yoffset_max useragent br_name br_family br_version br_type
        br_renderengine br_lang br_features_pdf br_features_flash br_features_java br_features_director
        br_features_quicktime br_features_realplayer br_features_windowsmedia br_features_gears br_features_silverlight
        br_cookies br_colordepth br_viewwidth br_viewheight os_name os_family os_manufacturer os_timezone dvce_type
        dvce_ismobile dvce_screenwidth dvce_screenheight doc_charset doc_width doc_height tr_currency tr_total_base
        tr_tax_base tr_shipping_base ti_currency ti_price_base base_currency geo_timezone mkt_clickid mkt_network
        etl_tags dvce_sent_tstamp refr_domain_userid refr_dvce_tstamp derived_contexts domain_sessionid derived_tstamp
        event_vendor event_name event_format event_version event_fingerprint true_tstamp
        """.split(whereSeparator: \.isWhitespace).map(String.init)
    static let enrichedIntegers: Set<String> = [
        "domain_sessionidx", "page_urlport", "refr_urlport", "ti_quantity", "pp_xoffset_min", "pp_xoffset_max",
        "pp_yoffset_min", "pp_yoffset_max", "br_features_pdf", "br_features_flash", "br_features_java",
        "br_features_director", "br_features_quicktime", "br_features_realplayer", "br_features_windowsmedia",
        "br_features_gears", "br_features_silverlight", "br_cookies", "br_viewwidth", "br_viewheight", "dvce_ismobile",
        "dvce_screenwidth", "dvce_screenheight", "doc_width", "doc_height",
    ]
    static let enrichedNumbers: Set<String> = ["geo_latitude", "geo_longitude"]

    static var enriched: String {
        let properties = enrichedNames.map { name in
            let type = enrichedIntegers.contains(name) ? "integer" : enrichedNumbers.contains(name) ? "number" : "string"
            return #""\#(name)":{"type":["\#(type)","null"]}"#
        }
        return #"{"properties":{\#(properties.joined(separator: ","))},"additionalProperties":false}"#
    }

    static func envelope(failure: String, payload: String) -> String {
        #"""
        {"type":"object","properties":{"failure":\#(failure),"payload":\#(payload),"processor":\#(processor)},
         "required":["failure","payload","processor"],"additionalProperties":false}
        """#
    }

    static let schemas: [BadRow.Kind: String] = [
        .sizeViolation: envelope(
            failure: #"""
                {"type":"object","properties":{"timestamp":\#(timestamp),
                 "maximumAllowedSizeBytes":{"type":"integer","maximum":1073741824,"minimum":0},
                 "actualSizeBytes":{"type":"integer","maximum":1073741824,"minimum":0},
                 "expectation":{"type":"string","maxLength":256}},
                 "required":["timestamp","maximumAllowedSizeBytes","actualSizeBytes"],"additionalProperties":false}
                """#, payload: #"{"type":"string"}"#),
        .collectorPayloadFormatViolation: envelope(
            failure: #"""
                {"type":"object","properties":{"timestamp":\#(timestamp),
                 "loader":{"type":"string","enum":["clj-tomcat","cloudfront","ndjson","thrift","tsv"]},
                 "message":{"type":"object","anyOf":[
                   {"type":"object","properties":{"error":{"type":"string","maxLength":512}},"required":["error"],
                    "additionalProperties":false},
                   {"type":"object","properties":{"payloadField":{"type":"string","maxLength":64},
                    "value":{"type":["string","null"]},"expectation":{"type":"string","maxLength":256}},
                    "required":["payloadField","expectation"],"additionalProperties":false}]}},
                 "required":["timestamp","loader","message"],"additionalProperties":false}
                """#, payload: #"{"type":"string"}"#),
        .adapterFailures: envelope(
            failure: #"""
                {"type":"object","properties":{"timestamp":\#(timestamp),"vendor":{"type":"string","maxLength":64},
                 "version":{"type":"string","maxLength":16},"messages":{"type":"array","items":{"anyOf":[
                   {"type":"object","properties":{"field":{"type":"string","maxLength":64},"value":{"type":["string","null"]},
                    "expectation":{"type":"string","maxLength":256}},"required":["field","value","expectation"],
                    "additionalProperties":false},
                   {"type":"object","properties":{"field":{"type":"string","maxLength":64},"value":{"type":["string","null"]},
                    "error":{"type":"string"}},"required":["field","value","error"],"additionalProperties":false},
                   \#(notIglu),
                   {"type":"object","properties":{"actual":{"type":["string","null"],"maxLength":256},
                    "expectedMapping":{"type":"object","additionalProperties":{"type":"string"}},
                    "expectation":{"type":"string","maxLength":256}},"required":["actual","expectedMapping","expectation"],
                    "additionalProperties":false}]}}},
                 "required":["timestamp","vendor","version","messages"],"additionalProperties":false}
                """#, payload: collectorPayload(requiredParameterMembers: #"["name","value"]"#)),
        .trackerProtocolViolations: envelope(
            failure: #"""
                {"type":"object","properties":{"timestamp":\#(timestamp),"vendor":{"type":"string","maxLength":64},
                 "version":{"type":"string","maxLength":16},"messages":{"type":"array","items":{"anyOf":[
                   \#(inputData),\#(notJSON),\#(notIglu),\#(criterionMismatch),\#(igluError)]}}},
                 "required":["timestamp","vendor","version","messages"],"additionalProperties":false}
                """#, payload: collectorPayload(requiredParameterMembers: #"["name"]"#)),
        .schemaViolations: envelope(
            failure: #"""
                {"type":"object","properties":{"timestamp":\#(timestamp),"messages":{"type":"array","items":{"anyOf":[
                   \#(notJSON),\#(notIglu),\#(criterionMismatch),\#(igluError)]}}},
                 "required":["timestamp","messages"],"additionalProperties":false}
                """#, payload: #"{"type":"object","properties":{"raw":\#(rawEvent),"enriched":\#(enriched)}}"#),
        .enrichmentFailures: envelope(
            failure: #"""
                {"type":"object","properties":{"timestamp":\#(timestamp),"messages":{"type":"array","items":{
                   "type":"object","properties":{"enrichment":{"type":["object","null"],"properties":{
                     "schemaKey":{"type":"string"},"identifier":{"type":"string","maxLength":256}},
                     "required":["schemaKey","identifier"],"additionalProperties":false},
                   "message":{"type":"object","anyOf":[\#(inputData),
                     {"type":"object","properties":{"error":{"type":"string","maxLength":512}},"required":["error"],
                      "additionalProperties":false},
                     \#(igluError)]}},
                   "required":["enrichment","message"],"additionalProperties":false}}}}
                """#, payload: #"{"type":"object","properties":{"raw":\#(rawEvent),"enriched":\#(enriched)}}"#),
    ]

    /// Reads `{"schema": <JSON Schema>, "row": <bad row JSON text>, "uri": <expected Iglu URI>}` lines;
    /// answers the validation errors of each row (empty when valid).
    static let script = #"""
        import json, re, sys, uuid, datetime
        from jsonschema import Draft4Validator, FormatChecker
        checker = FormatChecker()
        @checker.checks("date-time")
        def date_time(value):
            if not isinstance(value, str): return True
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", value): return False
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return True
        @checker.checks("uuid")
        def is_uuid(value):
            return not isinstance(value, str) or str(uuid.UUID(value)) == value
        for raw in sys.stdin:
            request = json.loads(raw)
            row = json.loads(request["row"])
            Draft4Validator.check_schema(request["schema"])
            errors = [e.message for e in Draft4Validator(request["schema"], format_checker=checker).iter_errors(row["data"])]
            if row.get("schema") != request["uri"] or set(row.keys()) != {"schema", "data"}:
                errors.append("bad envelope: " + json.dumps(row.get("schema")))
            print(json.dumps(errors), flush=True)
        """#

    /// Validates each bad row against its schema; one list of errors per row.
    static func validate(_ rows: [BadRow]) throws -> [[String]] {
        var lines: [String] = []
        for row in rows {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("schema")
            let schemaText = try #require(schemas[row.kind])
            let schema = try #require(try? JSONParser().parse(schemaText).get(), "schema of \(row.kind) is not JSON")
            writer.value(schema)
            writer.key("row")
            writer.string(row.json())
            writer.key("uri")
            writer.string(row.kind.schemaURI)
            writer.endObject()
            lines.append(writer.string)
        }
        let output = try ChildProcess.python(script, input: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(output.status == 0, "\(output.stderrText)")
        return output.stdoutText.split(separator: "\n").map { line in
            (try? JSONParser().parse(String(line)).get())?.arrayValue?.compactMap(\.stringValue) ?? ["unreadable: \(line)"]
        }
    }

    @Test func everyBadRowTypeValidatesAgainstItsIgluSchema() throws {
        let rows = BadRowSamples.all
        #expect(Set(rows.map(\.kind)) == Set(BadRow.Kind.allCases))
        let results = try Self.validate(rows)
        #expect(results.count == rows.count)
        for (row, errors) in zip(rows, results) {
            #expect(errors.isEmpty, "\(row.kind): \(errors)")
        }
    }

    /// The oracle must be able to say no: broken rows are rejected.
    @Test func theValidatorRejectsRowsThatBreakTheSchemas() throws {
        var badVersion = BadRowSamples.sizeViolation
        badVersion.processor.version = "latest"
        var badLoader = BadRowSamples.collectorPayloadFormatViolation
        badLoader.loader = "json"
        var noMessages = BadRowSamples.enrichmentFailures
        noMessages.messages = [.init(enrichment: .init(schemaKey: "k", identifier: String(repeating: "x", count: 300)), message: .simple(error: "e"))]
        let results = try Self.validate([.sizeViolation(badVersion), .collectorPayloadFormatViolation(badLoader), .enrichmentFailures(noMessages)])
        #expect(results.count == 3)
        #expect(results.allSatisfy { !$0.isEmpty }, "\(results)")
    }
}
