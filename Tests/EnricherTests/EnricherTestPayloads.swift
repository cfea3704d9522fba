import Foundation
import Shared

@testable import Enricher

/// Builds collector payloads the way the collector records them, and runs them through the
/// enricher's per-record path.
enum EnricherTestPayloads {
    static let collector = "ssc-3.4.0-kafkasink"
    static let networkUserID = "8d3f7e5a-2b4c-4d6e-9f10-112233445566"
    static let timestamp: Int64 = 1_700_000_000_000

    /// A GET pixel request (`/i`).
    static func get(_ querystring: String, path: String = "/i", headers: [String] = [], userAgent: String? = "Mozilla/5.0") -> CollectorPayload {
        CollectorPayload(
            ipAddress: "203.0.113.7", timestamp: timestamp, collector: collector, userAgent: userAgent,
            refererUri: "https://shop.example.com/landing", path: path, querystring: querystring, headers: headers,
            hostname: "collector.example.com", networkUserId: networkUserID)
    }

    /// A tp2 POST with `events` (each a dictionary of string parameters).
    static func post(_ events: [[String: String]], querystring: String? = nil, contentType: String? = "application/json; charset=utf-8")
        -> CollectorPayload
    {
        let data = events.map { event in
            JSONValue.object(JSONObject(event.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
        }
        let body: JSONValue = ["schema": "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", "data": .array(data)]
        return post(body: body.serialized(), querystring: querystring, contentType: contentType)
    }

    /// A tp2 POST with a raw body.
    static func post(body: String?, querystring: String? = nil, contentType: String? = "application/json; charset=utf-8") -> CollectorPayload {
        CollectorPayload(
            ipAddress: "203.0.113.7", timestamp: timestamp, collector: collector, userAgent: "Mozilla/5.0",
            path: "/com.snowplowanalytics.snowplow/tp2", querystring: querystring, body: body,
            headers: ["Host: collector.example.com"] + (contentType.map { [$0] } ?? []), contentType: contentType,
            hostname: "collector.example.com", networkUserId: networkUserID)
    }

    /// Percent-encodes a querystring value.
    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// `name=value&…`, values percent-encoded.
    static func query(_ parameters: KeyValuePairs<String, String>) -> String {
        parameters.map { "\($0.key)=\(encode($0.value))" }.joined(separator: "&")
    }

    /// A processor with the built-in steps plus `steps`, and a fixed clock.
    static func processor(steps: [any Enrichment] = []) -> EventProcessor {
        EventProcessor(
            pipeline: EnrichmentPipeline(steps: EnrichmentRegistry.builtIn + [RefererStep(parser: nil, identity: nil)] + steps),
            processor: EnricherConfiguration.processor, vEtl: EnricherConfiguration.vEtl,
            clock: { SnowplowTimestamp(millisecondsSinceEpoch: 1_700_000_001_000)! })
    }

    /// Runs `payloads` (each as its own raw record) through a processor.
    static func process(_ payloads: [CollectorPayload], steps: [any Enrichment] = []) -> EventProcessor.Output {
        let processor = processor(steps: steps)
        var output = EventProcessor.Output()
        for payload in payloads { processor.process(record: payload.thriftBytes(), into: &output) }
        return output
    }

    /// Runs raw record bytes through a processor.
    static func process(record: [UInt8]) -> EventProcessor.Output {
        var output = EventProcessor.Output()
        processor().process(record: record, into: &output)
        return output
    }
}
