/// What the loader needs from a bad row's JSON: its type, when it failed and why.
///
/// Reads any self-describing bad row (`iglu:com.snowplowanalytics.snowplow.badrows/<name>/…`),
/// including types Freshet does not produce (``kind`` is then `nil`). A plain `Sendable` value.
public struct BadRowSummary: Sendable, Hashable {
    /// The bad row's Iglu URI, e.g. `iglu:com.snowplowanalytics.snowplow.badrows/schema_violations/jsonschema/2-0-1`.
    public var schema: String
    /// The schema name, e.g. `schema_violations`.
    public var name: String
    /// The type, when it is one Freshet produces.
    public var kind: BadRow.Kind?
    public var processor: BadRowProcessor?
    /// `failure.timestamp`, when present and ISO-8601 UTC.
    public var timestamp: SnowplowTimestamp?
    /// One human-readable line per failure message (for `size_violation` and
    /// `collector_payload_format_violation`, the single message).
    public var messages: [String]
    /// The compact JSON of `data.failure`.
    public var failureJSON: String

    /// Reads the summary of a bad row; `nil` if `json` is not a self-describing bad row.
    public init?(json: String) {
        guard case .success(let document) = JSONParser.pipelineOutput.parse(json),
            let schema = document["schema"]?.stringValue,
            schema.hasPrefix("iglu:\(BadRow.Kind.vendor)/"), let data = document["data"], data.objectValue != nil
        else { return nil }
        let name = schema.dropFirst("iglu:\(BadRow.Kind.vendor)/".count).prefix(while: { $0 != "/" })
        self.schema = schema
        self.name = String(name)
        self.kind = BadRow.Kind(rawValue: String(name))
        if let artifact = data["processor"]?["artifact"]?.stringValue, let version = data["processor"]?["version"]?.stringValue {
            self.processor = BadRowProcessor(artifact: artifact, version: version)
        }
        let failure = data["failure"] ?? .null
        self.failureJSON = failure.serialized()
        self.timestamp = failure["timestamp"]?.stringValue.flatMap { SnowplowTimestamp(iso8601: $0) }
        if let text = failure.stringValue {  // loader_runtime_error: the failure is one string
            self.messages = [text]
        } else if let errors = failure["errors"]?.arrayValue {  // loader_parsing_error: RowDecodingError
            self.messages = errors.map(Self.describe)
        } else if let type = failure["type"]?.stringValue, name.hasPrefix("loader_") {  // e.g. FieldNumberMismatch
            self.messages = [failure["fieldCount"].map { "\(type) (\($0.serialized()) fields)" } ?? type]
        } else if let messages = failure["messages"]?.arrayValue {
            self.messages = messages.map(Self.describe)
        } else if let message = failure["message"] {
            self.messages = [Self.describe(message)]
        } else if let expectation = failure["expectation"]?.stringValue {
            let actual = failure["actualSizeBytes"].map { $0.serialized() } ?? "?"
            let maximum = failure["maximumAllowedSizeBytes"].map { $0.serialized() } ?? "?"
            self.messages = ["\(expectation) (\(actual) bytes, maximum \(maximum))"]
        } else {
            self.messages = []
        }
    }

    /// A one-line description of one failure message, from whichever well-known members it has.
    static func describe(_ message: JSONValue) -> String {
        if let inner = message["message"], inner.objectValue != nil {  // enrichment failure
            let text = describe(inner)
            guard let identifier = message["enrichment"]?["identifier"]?.stringValue else { return text }
            return "\(identifier): \(text)"
        }
        let field = message["field"]?.stringValue ?? message["payloadField"]?.stringValue
        let value = message["value"]?.stringValue
        if let expectation = message["expectation"]?.stringValue {
            let prefix = field.map { "\($0): " } ?? ""
            return prefix + expectation + (value.map { " (value: \($0))" } ?? "")
        }
        if let schemaKey = message["schemaKey"]?.stringValue {
            if let criterion = message["schemaCriterion"]?.stringValue {
                return "\(schemaKey) does not match \(criterion)"
            }
            if let error = message["error"] {
                let kind = error["error"]?.stringValue ?? "IgluError"
                let detail = describeIgluError(error)
                return detail.isEmpty ? "\(schemaKey): \(kind)" : "\(schemaKey): \(kind): \(detail)"
            }
        }
        if let json = message["json"], let error = message["error"]?.stringValue {
            return "not self-describing JSON (\(error)): \(json.serialized())"
        }
        if let error = message["error"]?.stringValue {
            return (field.map { "\($0): " } ?? "") + error
        }
        if let text = message["message"]?.stringValue {  // loader row-decoding error: {type, key, value, message}
            return (message["key"]?.stringValue.map { "\($0): " } ?? "") + text
        }
        return message.serialized()
    }

    /// The data reports, schema issues or repositories of an Iglu client error, joined.
    private static func describeIgluError(_ error: JSONValue) -> String {
        var parts: [String] = []
        for report in error["dataReports"]?.arrayValue ?? [] {
            guard let message = report["message"]?.stringValue else { continue }
            let path = report["path"]?.stringValue
            parts.append(path.map { "\($0): \(message)" } ?? message)
        }
        for issue in error["schemaIssues"]?.arrayValue ?? [] {
            if let message = issue["message"]?.stringValue { parts.append(message) }
        }
        for lookup in error["lookupHistory"]?.arrayValue ?? [] {
            if let repository = lookup["repository"]?.stringValue { parts.append("not found in \(repository)") }
        }
        return parts.joined(separator: "; ")
    }
}
