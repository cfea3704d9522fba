/// A Snowplow bad row: the failed-event JSON (`snowplow-badrows`) that Freshet writes to the bad
/// stream whenever input cannot become an enriched event.
///
/// Serialized by ``json()`` as the self-describing envelope
/// `{"schema":"iglu:com.snowplowanalytics.snowplow.badrows/<type>/jsonschema/<version>","data":{"processor":{…},"failure":{…},"payload":…}}`,
/// with the failure and payload shapes and member order of the Scala library, so Snowplow tooling
/// (recovery jobs, bad-row loaders, the iglu-central schemas) accepts them. ``BadRowSummary`` reads
/// the type, timestamp and messages back.
///
/// A plain `Sendable` value; building and serializing are pure.
public enum BadRow: Sendable, Hashable {
    /// A payload, enriched event or bad row larger than the sink allows.
    case sizeViolation(SizeViolation)
    /// The collector payload could not be read (Thrift, path, network user id, query string).
    case collectorPayloadFormatViolation(CollectorPayloadFormatViolation)
    /// No adapter for the vendor/version, or a webhook adapter rejected the payload.
    case adapterFailures(AdapterFailures)
    /// The payload breaks the Snowplow tracker protocol (`tp2`, `r/tp2`).
    case trackerProtocolViolations(TrackerProtocolViolations)
    /// A field conversion, self-describing JSON or atomic-field validation failed.
    case schemaViolations(SchemaViolations)
    /// An enrichment failed.
    case enrichmentFailures(EnrichmentFailures)

    /// The bad-row types Freshet produces, with the schema version Snowplow's library uses for each.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case sizeViolation = "size_violation"
        case collectorPayloadFormatViolation = "collector_payload_format_violation"
        case adapterFailures = "adapter_failures"
        case trackerProtocolViolations = "tracker_protocol_violations"
        case schemaViolations = "schema_violations"
        case enrichmentFailures = "enrichment_failures"

        /// The Iglu vendor of all bad-row schemas.
        public static let vendor = "com.snowplowanalytics.snowplow.badrows"

        /// The schema name, e.g. `size_violation`.
        public var name: String { rawValue }

        /// The SchemaVer `snowplow-badrows` writes for this type.
        public var schemaVersion: String {
            switch self {
            case .sizeViolation, .collectorPayloadFormatViolation, .adapterFailures: "1-0-0"
            case .trackerProtocolViolations: "1-0-1"
            case .schemaViolations, .enrichmentFailures: "2-0-1"
            }
        }

        /// `iglu:com.snowplowanalytics.snowplow.badrows/<name>/jsonschema/<version>`.
        public var schemaURI: String { "iglu:\(Self.vendor)/\(name)/jsonschema/\(schemaVersion)" }
    }

    /// This bad row's type.
    public var kind: Kind {
        switch self {
        case .sizeViolation: .sizeViolation
        case .collectorPayloadFormatViolation: .collectorPayloadFormatViolation
        case .adapterFailures: .adapterFailures
        case .trackerProtocolViolations: .trackerProtocolViolations
        case .schemaViolations: .schemaViolations
        case .enrichmentFailures: .enrichmentFailures
        }
    }

    /// The software that produced it.
    public var processor: BadRowProcessor {
        switch self {
        case .sizeViolation(let row): row.processor
        case .collectorPayloadFormatViolation(let row): row.processor
        case .adapterFailures(let row): row.processor
        case .trackerProtocolViolations(let row): row.processor
        case .schemaViolations(let row): row.processor
        case .enrichmentFailures(let row): row.processor
        }
    }

    /// When the failure happened (`failure.timestamp`).
    public var timestamp: SnowplowTimestamp {
        switch self {
        case .sizeViolation(let row): row.timestamp
        case .collectorPayloadFormatViolation(let row): row.timestamp
        case .adapterFailures(let row): row.timestamp
        case .trackerProtocolViolations(let row): row.timestamp
        case .schemaViolations(let row): row.timestamp
        case .enrichmentFailures(let row): row.timestamp
        }
    }

    /// The compact self-describing JSON of this bad row (UTF-8 bytes).
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 2048)
        writer.beginObject()
        writer.key("schema")
        writer.string(kind.schemaURI)
        writer.key("data")
        writer.beginObject()
        writer.key("processor")
        processor.write(to: &writer)
        writer.key("failure")
        switch self {
        case .sizeViolation(let row): row.writeFailureAndPayload(to: &writer)
        case .collectorPayloadFormatViolation(let row): row.writeFailureAndPayload(to: &writer)
        case .adapterFailures(let row): row.writeFailureAndPayload(to: &writer)
        case .trackerProtocolViolations(let row): row.writeFailureAndPayload(to: &writer)
        case .schemaViolations(let row): row.writeFailureAndPayload(to: &writer)
        case .enrichmentFailures(let row): row.writeFailureAndPayload(to: &writer)
        }
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }

    /// The compact self-describing JSON of this bad row.
    public func json() -> String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }
}
