extension TrackerRequestParser {
    /// Schema of the entity/event describing a redirect: `{"uri": <target>}`.
    public static let uriRedirectSchema = "iglu:com.snowplowanalytics.snowplow/uri_redirect/jsonschema/1-0-0"
    /// Wrapper schema used when the redirect adapter creates contexts.
    public static let contextsSchema = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0"
    /// Wrapper schema used when the redirect adapter creates an unstructured event.
    public static let unstructEventSchema = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"

    /// Turns a `/r/tp2?u=<target>&…` click-redirect request into one event, as enrich's
    /// `RedirectAdapter`:
    /// - `u` is removed from the parameters and becomes a `uri_redirect` self-describing JSON;
    /// - with an `e` parameter the entity is **prepended** to the existing contexts — `cx` (decoded,
    ///   extended, re-encoded URL-safe without padding) if present, else `co`, else a new `co`;
    /// - without `e` the event becomes `e=ue` with `ue_pr` = the `unstruct_event`-wrapped entity;
    /// - `tv` is forced to `r-tp2`; `p` defaults to `web`.
    /// An empty querystring or a missing `u` is a violation.
    public func parseRedirect(_ request: TrackerRequest) -> TrackerRequestOutcome {
        var parameters: TrackerParameters
        switch Self.queryParameters(request.querystring) {
        case .success(let decoded): parameters = decoded
        case .failure(let violation): return .violations([violation])
        }
        guard !parameters.isEmpty else {
            return .violations([
                TrackerProtocolViolation(.inputData, field: "querystring", value: nil, expectation: "empty querystring: not a valid URI redirect")
            ])
        }
        guard let target = parameters["u"] else {
            let querystring = parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
            return .violations([
                TrackerProtocolViolation(
                    .inputData, field: "querystring", value: querystring, expectation: "missing `u` parameter: not a valid URI redirect")
            ])
        }
        let redirect: JSONValue = [
            "schema": .string(Self.uriRedirectSchema),
            "data": ["uri": .string(target)],
        ]
        parameters["u"] = nil
        if parameters.contains("e") {
            if let cx = parameters["cx"] {
                guard case .success(let decoded) = Base64.decode(cx.utf8, options: .lenient) else {
                    return .violations([
                        TrackerProtocolViolation(.inputData, field: "cx", value: cx, expectation: "Could not base64 decode")
                    ])
                }
                switch Self.prepending(redirect, toContexts: String(decoding: decoded, as: UTF8.self)) {
                case .success(let extended): parameters["cx"] = Base64.encode(extended.utf8, alphabet: .urlSafe, padded: false)
                case .failure(let violation): return .violations([violation])
                }
            } else if let co = parameters["co"], !co.isEmpty {
                switch Self.prepending(redirect, toContexts: co) {
                case .success(let extended): parameters["co"] = extended
                case .failure(let violation): return .violations([violation])
                }
            } else {
                let contexts: JSONValue = ["schema": .string(Self.contextsSchema), "data": [redirect]]
                parameters["co"] = contexts.serialized()
            }
        } else {
            let event: JSONValue = ["schema": .string(Self.unstructEventSchema), "data": redirect]
            parameters["e"] = "ue"
            parameters["ue_pr"] = event.serialized()
        }
        parameters["tv"] = "r-tp2"
        if !parameters.contains("p") { parameters["p"] = "web" }
        return .events([TrackerEvent(parameters: parameters)])
    }

    /// `contexts` with `entity` inserted first in its `data` array. JSON without a `data` array is
    /// returned re-serialised but otherwise unchanged (as circe's cursor does); non-JSON is a
    /// `NotJSON` violation on `co|cx`.
    static func prepending(_ entity: JSONValue, toContexts contexts: String) -> Result<String, TrackerProtocolViolation> {
        let json: JSONValue
        switch JSONParser().parse(contexts) {
        case .success(let parsed): json = parsed
        case .failure(let error):
            return .failure(TrackerProtocolViolation(.notJSON, field: "co|cx", value: contexts, expectation: "valid JSON: \(error)"))
        }
        guard case .object(var object) = json, case .array(let items)? = object["data"] else {
            return .success(json.serialized())
        }
        object["data"] = .array([entity] + items)
        return .success(JSONValue.object(object).serialized())
    }
}
