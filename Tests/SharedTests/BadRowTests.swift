import Foundation
import Testing

@testable import Shared

/// One bad row of every type, with awkward text (quotes, backslashes, control characters, unicode).
enum BadRowSamples {
    static let processor = BadRowProcessor.freshet(service: "enricher", version: "0.1.0")
    static let failedAt = EnrichedEventSamples.timestamp("2024-06-01 10:00:01.250")
    static let collectedAt = EnrichedEventSamples.timestamp("2024-06-01 10:00:00.000")
    static let networkUserId = UUID(uuidString: "ECDFF4D0-9175-40AC-A8BB-325C49733607")

    static var collectorPayload: BadRowCollectorPayload {
        BadRowCollectorPayload(
            vendor: "com.snowplowanalytics.snowplow", version: "tp2",
            querystring: [.init(name: "e", value: "pv"), .init(name: "flag", value: nil)],
            contentType: "application/json; charset=UTF-8", body: "{\"schema\":\"x\",\n\"data\":[\"\\u0001\"]}",
            collector: "freshet-collector-0.1.0", encoding: "UTF-8", hostname: "collector.example.com",
            timestamp: collectedAt, ipAddress: "203.0.113.7", useragent: "curl/8.5 \"quoted\"", refererUri: nil,
            headers: ["Host: collector.example.com", "X-Odd: tab\there"], networkUserId: networkUserId)
    }

    static var rawEvent: BadRowRawEvent {
        BadRowRawEvent(
            vendor: "com.snowplowanalytics.snowplow", version: "tp2",
            parameters: [.init(name: "e", value: "ue"), .init(name: "ue_pr", value: "{\"not\": \"valid\""), .init(name: "aid", value: "shop – ü")],
            contentType: "application/json", loaderName: "thrift", encoding: "UTF-8", hostname: "collector.example.com",
            timestamp: collectedAt, ipAddress: "203.0.113.7", useragent: "Mozilla/5.0", refererUri: "https://example.com/",
            headers: ["Host: collector.example.com"], userId: networkUserId)
    }

    static var sizeViolation: BadRow.SizeViolation {
        BadRow.SizeViolation(
            processor: processor, timestamp: failedAt, maximumAllowedSizeBytes: 1_000_000, actualSizeBytes: 1_234_567,
            expectation: "bad row exceeded the maximum size", payload: "{\"truncated\": \"…")
    }

    static var collectorPayloadFormatViolation: BadRow.CollectorPayloadFormatViolation {
        BadRow.CollectorPayloadFormatViolation(
            processor: processor, timestamp: EnrichedEventSamples.timestamp("2024-06-01 10:00:01.000"),
            message: .inputData(payloadField: "networkUserId", value: "not-a-uuid", expectation: "a valid UUID"),
            payload: "CwFAAAAAAi9pCgBkAAABeA==")
    }

    static var adapterFailures: BadRow.AdapterFailures {
        BadRow.AdapterFailures(
            processor: processor, timestamp: failedAt, vendor: "com.example", version: "v9",
            messages: [
                .inputData(field: "vendor/version", value: "com.example/v9", expectation: "vendor/version combination is not supported"),
                .notJSON(field: "body", value: "{oops", error: "expected \" got o"),
                .notIglu(json: "{\"data\": 1}", error: .invalidSchema),
                .schemaMapping(actual: "bounce", expectedMapping: ["open": "iglu:com.example/open/jsonschema/1-0-0"], expectation: "known event type"),
            ], payload: collectorPayload)
    }

    static var trackerProtocolViolations: BadRow.TrackerProtocolViolations {
        BadRow.TrackerProtocolViolations(
            processor: processor, timestamp: failedAt, vendor: "com.snowplowanalytics.snowplow", version: "tp2",
            messages: [
                .inputData(field: "body", value: nil, expectation: "empty body: not a valid tracker protocol event"),
                .notJSON(field: "body", value: "{", error: "unexpected end of input"),
                .notIglu(json: "not json at all", error: .invalidIgluURI),
                .criterionMismatch(schemaKey: "iglu:com.acme/x/jsonschema/1-0-0", schemaCriterion: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-*"),
                .igluError(
                    schemaKey: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4",
                    error: .invalidData(dataReports: [.init(message: "$.data: array found, object expected", path: "$.data", keyword: "type", targets: ["array", "object"])])),
            ], payload: collectorPayload)
    }

    static var schemaViolations: BadRow.SchemaViolations {
        var enriched = EnrichedEventSamples.full
        enriched.unstructEvent = nil
        return BadRow.SchemaViolations(
            processor: processor, timestamp: failedAt,
            messages: [
                .notJSON(field: "ue_pr", value: "{\"not\": \"valid\"", error: "exhausted input"),
                .igluError(
                    schemaKey: "iglu:com.acme/missing/jsonschema/1-0-0",
                    error: .resolutionError(lookupHistory: [
                        .init(repository: "Iglu Central", errors: [.notFound], attempts: 1, lastAttempt: failedAt),
                        .init(repository: "Acme registry", errors: [.repoFailure(message: "HTTP 503"), .clientFailure(message: "timeout")], attempts: 3, lastAttempt: collectedAt),
                    ])),
                .igluError(
                    schemaKey: "iglu:com.snowplowanalytics.snowplow/atomic/jsonschema/1-0-0",
                    error: .invalidData(dataReports: [.init(message: "$.geo_country: must be at most 2 characters long", path: "$.geo_country", keyword: "maxLength", targets: ["2"])])),
                .igluError(schemaKey: "iglu:com.acme/broken/jsonschema/1-0-0", error: .invalidSchema(schemaIssues: [.init(path: "$.properties", message: "not an object")])),
                .criterionMismatch(schemaKey: "iglu:com.acme/x/jsonschema/1-0-0", schemaCriterion: "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-*-*"),
                .notIglu(json: "[1,2]", error: .invalidDataPayload),
            ], payload: BadRowEnrichmentPayload(enriched: enriched, raw: rawEvent))
    }

    static var enrichmentFailures: BadRow.EnrichmentFailures {
        BadRow.EnrichmentFailures(
            processor: processor, timestamp: failedAt,
            messages: [
                .init(enrichment: .init(schemaKey: "iglu:com.snowplowanalytics.snowplow.enrichments/api_request_enrichment_config/jsonschema/1-0-0", identifier: "api-request"), message: .simple(error: "connection refused \u{1}")),
                .init(enrichment: nil, message: .inputData(field: "v_collector", value: nil, expectation: "should be set")),
                .init(
                    enrichment: .init(schemaKey: "iglu:com.snowplowanalytics.snowplow/javascript_script_config/jsonschema/1-0-0", identifier: "javascript"),
                    message: .igluError(schemaKey: "iglu:com.acme/derived/jsonschema/1-0-0", error: .invalidData(dataReports: [.init(message: "bad", path: nil, keyword: nil)]))),
            ], payload: BadRowEnrichmentPayload(enriched: EnrichedEventSamples.minimal, raw: rawEvent))
    }

    static var all: [BadRow] {
        [
            .sizeViolation(sizeViolation), .collectorPayloadFormatViolation(collectorPayloadFormatViolation),
            .adapterFailures(adapterFailures), .trackerProtocolViolations(trackerProtocolViolations),
            .schemaViolations(schemaViolations), .enrichmentFailures(enrichmentFailures),
        ]
    }
}

@Suite struct BadRowTests {
    @Test func schemaURIsUseTheVersionsOfSnowplowBadrows() {
        #expect(BadRow.Kind.allCases.map(\.schemaURI) == [
            "iglu:com.snowplowanalytics.snowplow.badrows/size_violation/jsonschema/1-0-0",
            "iglu:com.snowplowanalytics.snowplow.badrows/collector_payload_format_violation/jsonschema/1-0-0",
            "iglu:com.snowplowanalytics.snowplow.badrows/adapter_failures/jsonschema/1-0-0",
            "iglu:com.snowplowanalytics.snowplow.badrows/tracker_protocol_violations/jsonschema/1-0-1",
            "iglu:com.snowplowanalytics.snowplow.badrows/schema_violations/jsonschema/2-0-1",
            "iglu:com.snowplowanalytics.snowplow.badrows/enrichment_failures/jsonschema/2-0-1",
        ])
        #expect(BadRowSamples.processor == BadRowProcessor(artifact: "freshet-enricher", version: "0.1.0"))
    }

    /// The exact bytes of a simple row: member order and formats as circe writes them.
    @Test func sizeViolationIsWrittenExactlyLikeSnowplow() {
        let row = BadRow.sizeViolation(BadRowSamples.sizeViolation)
        #expect(row.json() == #"{"schema":"iglu:com.snowplowanalytics.snowplow.badrows/size_violation/jsonschema/1-0-0","data":{"processor":{"artifact":"freshet-enricher","version":"0.1.0"},"failure":{"timestamp":"2024-06-01T10:00:01.250Z","maximumAllowedSizeBytes":1000000,"actualSizeBytes":1234567,"expectation":"bad row exceeded the maximum size"},"payload":"{\"truncated\": \"…"}}"#)
        #expect(String(decoding: row.jsonBytes(), as: UTF8.self) == row.json())
    }

    @Test func collectorPayloadFormatViolationShape() throws {
        let json = BadRow.collectorPayloadFormatViolation(BadRowSamples.collectorPayloadFormatViolation).json()
        #expect(json.contains(#""failure":{"timestamp":"2024-06-01T10:00:01Z","loader":"thrift","message":{"payloadField":"networkUserId","value":"not-a-uuid","expectation":"a valid UUID"}},"payload":"CwFAAAAAAi9pCgBkAAABeA=="}"#))
        var fallback = BadRowSamples.collectorPayloadFormatViolation
        fallback.message = .fallback(error: "Thrift: invalid field type 0x0f")
        #expect(BadRow.collectorPayloadFormatViolation(fallback).json().contains(#""message":{"error":"Thrift: invalid field type 0x0f"}"#))
    }

    @Test func payloadsUseSnowplowFieldNamesAndFormats() throws {
        let document = try JSONParser().parse(BadRow.trackerProtocolViolations(BadRowSamples.trackerProtocolViolations).json()).get()
        let payload = try #require(document["data"]?["payload"])
        guard case .object(let members) = payload else { Issue.record("payload is not an object"); return }
        #expect(members.keys == [
            "vendor", "version", "querystring", "contentType", "body", "collector", "encoding", "hostname", "timestamp",
            "ipAddress", "useragent", "refererUri", "headers", "networkUserId",
        ])
        #expect(payload["querystring"] == .array([
            .object(["name": .string("e"), "value": .string("pv")]),
            .object(["name": .string("flag"), "value": .null]),
        ]))
        #expect(payload["timestamp"] == .string("2024-06-01T10:00:00.000Z"))
        #expect(payload["networkUserId"] == .string("ecdff4d0-9175-40ac-a8bb-325c49733607"))
        #expect(payload["refererUri"] == .null)
        #expect(payload["body"] == .string("{\"schema\":\"x\",\n\"data\":[\"\\u0001\"]}"))
        let messages = try #require(document["data"]?["failure"]?["messages"]?.arrayValue)
        #expect(messages[2] == .object(["json": .string("not json at all"), "error": .string("INVALID_IGLUURI")]))
        #expect(messages[4]["error"]?["error"] == .string("ValidationError"))
        #expect(messages[4]["error"]?["dataReports"]?.arrayValue?.first?["targets"] == .array([.string("array"), .string("object")]))
    }

    @Test func enrichmentPayloadCarriesThePartiallyEnrichedEventTypedLikeEnrich() throws {
        let document = try JSONParser().parse(BadRow.schemaViolations(BadRowSamples.schemaViolations).json()).get()
        let enriched = try #require(document["data"]?["payload"]?["enriched"])
        guard case .object(let members) = enriched else { Issue.record("enriched is not an object"); return }
        #expect(members.keys == EnrichedEventField.all.map(\.name))
        #expect(enriched["txn_id"] == .string("9223372036854775807"))
        #expect(enriched["domain_sessionidx"] == .number(JSONNumber(literal: "-153")!))
        #expect(enriched["geo_latitude"] == .number(JSONNumber(literal: "-33.8688")!))
        #expect(enriched["br_features_pdf"] == .number(JSONNumber(literal: "1")!) && enriched["br_features_flash"] == .number(JSONNumber(literal: "0")!))
        #expect(enriched["se_value"] == .string("-12.50"))
        #expect(enriched["collector_tstamp"] == .string("9999-12-31 23:59:59.999"))
        #expect(enriched["unstruct_event"] == .null)
        #expect(enriched["contexts"] == .string(EnrichedEventSamples.contexts))
        let raw = try #require(document["data"]?["payload"]?["raw"])
        #expect(raw["userId"] == .string("ecdff4d0-9175-40ac-a8bb-325c49733607"))
        #expect(raw["parameters"]?.arrayValue?[1]["value"] == .string("{\"not\": \"valid\""))
        let lookup = try #require(document["data"]?["failure"]?["messages"]?.arrayValue?[1]["error"])
        #expect(try lookup == JSONParser().parse(#"{"error":"ResolutionError","lookupHistory":[{"errors":[{"error":"NotFound"}],"attempts":1,"lastAttempt":"2024-06-01T10:00:01.250Z","repository":"Iglu Central"},{"errors":[{"error":"RepoFailure","message":"HTTP 503"},{"error":"ClientFailure","message":"timeout"}],"attempts":3,"lastAttempt":"2024-06-01T10:00:00Z","repository":"Acme registry"}]}"#).get())
    }

    @Test func controlCharactersAndUnicodeAreEscapedValidJSON() throws {
        for row in BadRowSamples.all {
            let json = row.json()
            #expect(!json.utf8.contains { $0 < 0x20 }, "\(row.kind) has a raw control character")
            #expect((try? JSONParser().parse(json).get()) != nil, "\(row.kind) is not valid JSON")
            // Foundation's parser as a second opinion.
            #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "\(row.kind)")
        }
        let json = BadRow.enrichmentFailures(BadRowSamples.enrichmentFailures).json()
        #expect(json.contains(#""message":{"error":"connection refused \u0001"}"#))
        #expect(json.contains(#""enrichment":null"#))
    }

    @Test func summariesReadTypeTimestampAndMessagesBack() throws {
        for row in BadRowSamples.all {
            let summary = try #require(BadRowSummary(json: row.json()))
            #expect(summary.kind == row.kind)
            #expect(summary.name == row.kind.name)
            #expect(summary.schema == row.kind.schemaURI)
            #expect(summary.timestamp == row.timestamp)
            #expect(summary.processor == BadRowSamples.processor)
            #expect(!summary.messages.isEmpty)
        }
        let size = try #require(BadRowSummary(json: BadRow.sizeViolation(BadRowSamples.sizeViolation).json()))
        #expect(size.messages == ["bad row exceeded the maximum size (1234567 bytes, maximum 1000000)"])
        let format = try #require(BadRowSummary(json: BadRow.collectorPayloadFormatViolation(BadRowSamples.collectorPayloadFormatViolation).json()))
        #expect(format.messages == ["networkUserId: a valid UUID (value: not-a-uuid)"])
        let schema = try #require(BadRowSummary(json: BadRow.schemaViolations(BadRowSamples.schemaViolations).json()))
        #expect(schema.messages == [
            "ue_pr: exhausted input",
            "iglu:com.acme/missing/jsonschema/1-0-0: ResolutionError: not found in Iglu Central; not found in Acme registry",
            "iglu:com.snowplowanalytics.snowplow/atomic/jsonschema/1-0-0: ValidationError: $.geo_country: $.geo_country: must be at most 2 characters long",
            "iglu:com.acme/broken/jsonschema/1-0-0: ValidationError: not an object",
            "iglu:com.acme/x/jsonschema/1-0-0 does not match iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-*-*",
            "not self-describing JSON (INVALID_DATA_PAYLOAD): [1,2]",
        ])
        let enrichment = try #require(BadRowSummary(json: BadRow.enrichmentFailures(BadRowSamples.enrichmentFailures).json()))
        #expect(enrichment.messages[0] == "api-request: connection refused \u{1}")
        #expect(enrichment.messages[1] == "v_collector: should be set")
        #expect(enrichment.failureJSON.hasPrefix(#"{"timestamp":"2024-06-01T10:00:01.250Z","messages":["#))
    }

    @Test func summariesOfForeignAndBrokenInput() throws {
        let loader = #"{"schema":"iglu:com.snowplowanalytics.snowplow.badrows/loader_parsing_error/jsonschema/2-0-0","data":{"processor":{"artifact":"snowplow-rdb-loader","version":"5.0.0"},"failure":{"type":"RowDecodingError","errors":[]},"payload":"x"}}"#
        let summary = try #require(BadRowSummary(json: loader))
        #expect(summary.kind == nil && summary.name == "loader_parsing_error")
        #expect(summary.timestamp == nil)
        #expect(summary.processor?.artifact == "snowplow-rdb-loader")
        #expect(BadRowSummary(json: "not json") == nil)
        #expect(BadRowSummary(json: #"{"schema":"iglu:com.acme/x/jsonschema/1-0-0","data":{}}"#) == nil)
        // Snowplow's own rows carry Instant timestamps with microseconds.
        let enrich = #"{"schema":"iglu:com.snowplowanalytics.snowplow.badrows/schema_violations/jsonschema/2-0-1","data":{"processor":{"artifact":"snowplow-enrich-kafka","version":"6.10.0"},"failure":{"timestamp":"2024-06-01T10:00:01.250123Z","messages":[{"field":"tr_tt","value":"abc","error":"not a number"}]},"payload":{}}}"#
        let fromEnrich = try #require(BadRowSummary(json: enrich))
        #expect(fromEnrich.timestamp == BadRowSamples.failedAt)
        #expect(fromEnrich.messages == ["tr_tt: not a number"])
    }

    @Test func sizeViolationPayloadIsTheFirstTenthOfTheLimitOnACharacterBoundary() {
        let text = Array("ab€d".utf8)  // € is 3 bytes: a b E2 82 AC d
        #expect(BadRow.SizeViolation.payloadPrefix(of: text, maximumAllowedSizeBytes: 20) == "ab")
        #expect(BadRow.SizeViolation.payloadPrefix(of: text, maximumAllowedSizeBytes: 30) == "ab")
        #expect(BadRow.SizeViolation.payloadPrefix(of: text, maximumAllowedSizeBytes: 40) == "ab")
        #expect(BadRow.SizeViolation.payloadPrefix(of: text, maximumAllowedSizeBytes: 50) == "ab€")
        #expect(BadRow.SizeViolation.payloadPrefix(of: text, maximumAllowedSizeBytes: 1000) == "ab€d")
        #expect(BadRow.SizeViolation.payloadPrefix(of: text, maximumAllowedSizeBytes: 5) == "")
    }
}
