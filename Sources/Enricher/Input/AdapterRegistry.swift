import Shared

/// Picks the adapter for a collector payload by its `(vendor, version)` and splits the payload into
/// raw events (reference §3.1 step 3, §3.2):
///
/// | vendor / version | adapter |
/// |---|---|
/// | `com.snowplowanalytics.snowplow/tp1` (`/i`, `/ice.png`) | tracker protocol 1: the querystring is the event |
/// | `com.snowplowanalytics.snowplow/tp2` | tracker protocol 2: GET querystring, or a POST `payload_data` batch split into its events |
/// | `r/tp2` | click redirect: a `uri_redirect` event or entity |
///
/// Any other pair becomes an `adapter_failures` bad row ("vendor/version combination is not
/// supported"); protocol violations a `tracker_protocol_violations` bad row (the whole payload: no
/// event of it goes on, as in enrich); an undecodable querystring a
/// `collector_payload_format_violation` (enrich finds it while loading). The splitting itself is
/// Shared's ``TrackerRequestParser``.
///
/// A value with no mutable state; safe from any thread.
struct AdapterRegistry: Sendable {
    /// The outcome for one payload.
    enum Outcome {
        case events([RawEvent])
        case bad(BadRow)
    }

    var parser = TrackerRequestParser()
    let processor: BadRowProcessor

    /// The endpoint an API maps to, or `nil` when no adapter exists for it.
    static func endpoint(for api: CollectorPayload.API) -> TrackerRequest.Endpoint? {
        switch (api.vendor, api.version) {
        case ("com.snowplowanalytics.snowplow", "tp1"): .pixel
        case ("com.snowplowanalytics.snowplow", "tp2"): .tp2
        case ("r", "tp2"): .redirect
        default: nil
        }
    }

    /// Splits `payload` into raw events, or the bad row saying why it cannot be.
    func adapt(_ payload: CollectorPayload, api: CollectorPayload.API, record: [UInt8], now: SnowplowTimestamp) -> Outcome {
        guard let endpoint = Self.endpoint(for: api) else {
            return .bad(
                .adapterFailures(
                    BadRow.AdapterFailures(
                        processor: processor, timestamp: now, vendor: api.vendor, version: api.version,
                        messages: [
                            .inputData(
                                field: "vendor/version", value: "\(api.vendor)/\(api.version)",
                                expectation: "vendor/version combination is not supported")
                        ],
                        payload: payload.badRowPayload(api: api))))
        }
        let request = TrackerRequest(
            endpoint: endpoint, querystring: payload.querystring, body: payload.body, contentType: payload.contentType)
        switch parser.parse(request) {
        case .events(let events):
            return .events(events.map { RawEvent(event: $0, payload: payload, api: api) })
        case .violations(let violations):
            if let malformed = violations.first(where: { $0.kind == .malformedQueryString }) {
                return .bad(
                    .collectorPayloadFormatViolation(
                        BadRow.CollectorPayloadFormatViolation(
                            processor: processor, timestamp: now, loader: "thrift",
                            message: .inputData(payloadField: "querystring", value: malformed.value, expectation: malformed.expectation),
                            payload: RawRecordDecoder.base64(record))))
            }
            return .bad(
                .trackerProtocolViolations(
                    BadRow.TrackerProtocolViolations(
                        processor: processor, timestamp: now, vendor: api.vendor, version: api.version,
                        messages: violations.map(Self.message), payload: payload.badRowPayload(api: api))))
        }
    }

    /// A tracker-protocol violation in the bad row's wording.
    static func message(_ violation: TrackerProtocolViolation) -> BadRow.TrackerProtocolViolations.Message {
        let field = violation.eventIndex.map { "\(violation.field) (event \($0))" } ?? violation.field
        switch violation.kind {
        case .notJSON:
            return .notJSON(field: field, value: violation.value, error: violation.expectation)
        case .notSelfDescribing:
            return .notIglu(json: violation.value ?? "", error: .invalidDataPayload)
        case .criterionMismatch:
            return .criterionMismatch(
                schemaKey: violation.value ?? "", schemaCriterion: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-*")
        case .inputData, .malformedQueryString:
            return .inputData(field: field, value: violation.value, expectation: violation.expectation)
        }
    }
}
