/// Splits a ``TrackerRequest`` into raw ``TrackerEvent``s the way enrich's Snowplow adapters do
/// (`Tp1Adapter`, `Tp2Adapter`, `RedirectAdapter`), reporting ``TrackerProtocolViolation``s instead.
///
/// - pixel (`/i`, `/ice.png`, tp1): the querystring is the event; an empty one is a violation.
/// - tp2 without body: the querystring is the event. tp2 POST: the body must be a
///   `payload_data` 1-0-* self-describing JSON whose `data` is a non-empty array of objects with
///   string values, each with `tv`, `p` and `e`; querystring parameters are merged into every event
///   and override body fields of the same name. The content type must be one of
///   ``acceptedContentTypes`` (exact match, as enrich).
/// - redirect (`/r/tp2`): see ``parseRedirect(_:)``.
///
/// A value type with no mutable state: use one instance from any number of threads.
public struct TrackerRequestParser: Sendable {
    /// Content types enrich accepts for a tp2 body (`Tp2Adapter.ContentTypes`, exact match; the
    /// collector lower-cases what it stores, so in practice the first two).
    public static let acceptedContentTypes = [
        "application/json", "application/json; charset=utf-8", "application/json; charset=UTF-8",
    ]

    /// The expectation of a content-type violation (built once, not per request).
    static let expectedContentTypes = "expected one of \(acceptedContentTypes.joined(separator: ", "))"

    /// Reject POST body event fields that `payload_data` 1-0-4 does not define, as its
    /// `additionalProperties: false` makes enrich do. Default: `true`.
    public var rejectsUnknownBodyParameters: Bool

    /// A parser.
    public init(rejectsUnknownBodyParameters: Bool = true) {
        self.rejectsUnknownBodyParameters = rejectsUnknownBodyParameters
    }

    /// Splits `request` into events or violations.
    public func parse(_ request: TrackerRequest) -> TrackerRequestOutcome {
        switch request.endpoint {
        case .pixel: return parsePixel(request)
        case .tp2: return parseTp2(request)
        case .redirect: return parseRedirect(request)
        }
    }

    /// Decodes the querystring into parameters (a repeated name keeps its last value).
    static func queryParameters(_ querystring: String?) -> Result<TrackerParameters, TrackerProtocolViolation> {
        guard let querystring, !querystring.isEmpty else { return .success(TrackerParameters()) }
        switch QueryStringParser.parse(querystring) {
        case .success(let pairs): return .success(TrackerParameters(pairs))
        case .failure(let violation): return .failure(TrackerProtocolViolation(violation))
        }
    }

    // MARK: tp1

    func parsePixel(_ request: TrackerRequest) -> TrackerRequestOutcome {
        let parameters: TrackerParameters
        switch Self.queryParameters(request.querystring) {
        case .success(let decoded): parameters = decoded
        case .failure(let violation): return .violations([violation])
        }
        guard !parameters.isEmpty else {
            return .violations([
                TrackerProtocolViolation(
                    .inputData, field: "querystring", value: nil, expectation: "empty querystring: not a valid tracker protocol event")
            ])
        }
        return .events([TrackerEvent(parameters: parameters)])
    }

    // MARK: tp2

    func parseTp2(_ request: TrackerRequest) -> TrackerRequestOutcome {
        let queryParameters: TrackerParameters
        switch Self.queryParameters(request.querystring) {
        case .success(let decoded): queryParameters = decoded
        case .failure(let violation): return .violations([violation])
        }
        let body = request.body.flatMap { $0.isEmpty ? nil : $0 }
        let expectedTypes = Self.expectedContentTypes
        switch (body, request.contentType) {
        case (nil, _) where queryParameters.isEmpty:
            return .violations([
                TrackerProtocolViolation(.inputData, field: "body", value: nil, expectation: "empty body: not a valid tracker protocol event"),
                TrackerProtocolViolation(
                    .inputData, field: "querystring", value: nil, expectation: "empty querystring: not a valid tracker protocol event"),
            ])
        case (_, let contentType?) where !Self.acceptedContentTypes.contains(contentType):
            return .violations([TrackerProtocolViolation(.inputData, field: "contentType", value: contentType, expectation: expectedTypes)])
        case (.some, nil):
            return .violations([TrackerProtocolViolation(.inputData, field: "contentType", value: nil, expectation: expectedTypes)])
        case (nil, .some):
            return .violations([
                TrackerProtocolViolation(.inputData, field: "body", value: nil, expectation: "empty body: not a valid track protocol event")
            ])
        case (nil, nil):
            return .events([TrackerEvent(parameters: queryParameters)])
        case (let body?, .some):
            return parsePayloadData(body, merging: queryParameters)
        }
    }

    /// Parses a `payload_data` body into events, merging `queryParameters` into each.
    func parsePayloadData(_ body: String, merging queryParameters: TrackerParameters) -> TrackerRequestOutcome {
        // The usual body, read without a JSON tree; anything else (and anything with a violation) takes
        // the general path below, which reports it.
        if let events = wellFormedPayloadData(body, merging: queryParameters) { return .events(events) }
        return generalPayloadData(body, merging: queryParameters)
    }

    /// ``parsePayloadData(_:merging:)`` through a JSON tree: any body, every violation reported.
    func generalPayloadData(_ body: String, merging queryParameters: TrackerParameters) -> TrackerRequestOutcome {
        let json: JSONValue
        switch JSONParser().parse(body) {
        case .success(let parsed): json = parsed
        case .failure(let error):
            return .violations([TrackerProtocolViolation(.notJSON, field: "body", value: body, expectation: "valid JSON: \(error)")])
        }
        let payload: SelfDescribingJSON
        switch SelfDescribingJSON.validate(json, allowingExtraKeys: true) {
        case .success(let decoded): payload = decoded
        case .failure(let error):
            return .violations([TrackerProtocolViolation(.notSelfDescribing, field: "body", value: body, expectation: error.description)])
        }
        guard SchemaCriterion.payloadData.matches(payload.schema) else {
            return .violations([
                TrackerProtocolViolation(
                    .criterionMismatch, field: "schema", value: payload.schema.uri,
                    expectation: "a schema matching \(SchemaCriterion.payloadData)")
            ])
        }
        guard case .array(let items) = payload.data else {
            return .violations([
                TrackerProtocolViolation(
                    .inputData, field: "body", value: payload.data.serialized(),
                    expectation: "payload_data data must be an array of events, got \(payload.data.typeName)")
            ])
        }
        guard !items.isEmpty else {
            return .violations([
                TrackerProtocolViolation(.inputData, field: "body", value: payload.data.serialized(), expectation: "empty list of events")
            ])
        }
        var events: [TrackerEvent] = []
        events.reserveCapacity(items.count)
        var violations: [TrackerProtocolViolation] = []
        for (position, item) in items.enumerated() {
            guard case .object(let object) = item else {
                violations.append(
                    TrackerProtocolViolation(
                        .inputData, field: "body", value: item.serialized(), expectation: "event must be a JSON object, got \(item.typeName)",
                        eventIndex: position))
                continue
            }
            var parameters = TrackerParameters()
            for member in object {
                switch member.value {
                case .string(let text):
                    if rejectsUnknownBodyParameters, !TrackerParameter.payloadDataNames.contains(member.key) {
                        violations.append(
                            TrackerProtocolViolation(
                                .inputData, field: member.key, value: text,
                                expectation: "not a payload_data property (additionalProperties: false)", eventIndex: position))
                    }
                    parameters[member.key] = text
                case .null:
                    violations.append(
                        TrackerProtocolViolation(.inputData, field: member.key, value: nil, expectation: "value cannot be null", eventIndex: position))
                default:
                    violations.append(
                        TrackerProtocolViolation(
                            .inputData, field: member.key, value: member.value.serialized(), expectation: "value is not a string",
                            eventIndex: position))
                }
            }
            for required in TrackerParameter.requiredInPayloadData where object[required.rawValue] == nil {
                violations.append(
                    TrackerProtocolViolation(
                        .inputData, field: required.rawValue, value: nil, expectation: "required by payload_data: missing",
                        eventIndex: position))
            }
            events.append(TrackerEvent(parameters: parameters.merging(queryParameters)))
        }
        return violations.isEmpty ? .events(events) : .violations(violations)
    }

    /// The events of `body` when it is a `payload_data` body without any violation, read by
    /// ``JSONParser/payloadData(_:)``; `nil` otherwise — the general path of
    /// ``parsePayloadData(_:merging:)`` then decides (the same events, or the violations).
    func wellFormedPayloadData(_ body: String, merging queryParameters: TrackerParameters) -> [TrackerEvent]? {
        guard let payload = JSONParser().payloadData(body), let schema = SchemaKey(uri: payload.schema),
            SchemaCriterion.payloadData.matches(schema)
        else { return nil }
        var events: [TrackerEvent] = []
        events.reserveCapacity(payload.events.count)
        for parameters in payload.events {
            guard TrackerParameter.requiredInPayloadData.allSatisfy({ parameters[$0] != nil }) else { return nil }
            if rejectsUnknownBodyParameters, parameters.contains(where: { !TrackerParameter.payloadDataNames.contains($0.name) }) {
                return nil
            }
            events.append(TrackerEvent(parameters: parameters.merging(queryParameters)))
        }
        return events
    }
}
