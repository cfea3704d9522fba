import Shared

/// What the user-agent enrichment adds to one event.
///
/// Fills the `ua_parser_context` entity (``entity``) exactly as Snowplow's UA parser enrichment builds it,
/// and, when configured, the atomic columns listed in ``atomicFields``.
public struct UserAgentEnrichmentResult: Sendable, Equatable {
    /// A derived entity: an Iglu schema URI and its data as compact JSON text.
    public struct Entity: Sendable, Equatable {
        /// For example `iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0`.
        public var schema: String
        /// The entity's `data` object as compact JSON.
        public var dataJSON: String
    }

    /// Schema of the entity, as Snowplow's enrichment emits it.
    public static let entitySchema = "iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0"

    /// The uap-core parse (also the input bot detection needs).
    public var parsed: ParsedUserAgent
    /// The atomic fields to fill; `nil` when the configuration switches them off.
    public var atomicFields: UserAgentAtomicFields?
    /// The `ua_parser_context` entity for `derived_contexts`.
    public var entity: Entity

    /// Builds the result for a parse.
    public init(parsed: ParsedUserAgent, fillsAtomicFields: Bool) {
        self.parsed = parsed
        self.atomicFields = fillsAtomicFields ? UserAgentAtomicFields(parsed) : nil
        self.entity = Entity(schema: Self.entitySchema, dataJSON: Self.contextJSON(parsed))
    }

    /// The `ua_parser_context` data: Snowplow's field order; `null` for unknown parts; the two version
    /// strings built as Snowplow does (family, then ` major`, then `.minor`, `.patch` (and `.patchMinor` for
    /// the OS) for each part that is known).
    static func contextJSON(_ parsed: ParsedUserAgent) -> String {
        let browser = parsed.browser
        let os = parsed.operatingSystem
        let browserVersion =
            browser.family + (browser.major.map { " " + $0 } ?? "") + (browser.minor.map { "." + $0 } ?? "")
            + (browser.patch.map { "." + $0 } ?? "")
        let osVersion =
            os.family + (os.major.map { " " + $0 } ?? "") + (os.minor.map { "." + $0 } ?? "")
            + (os.patch.map { "." + $0 } ?? "") + (os.patchMinor.map { "." + $0 } ?? "")
        let fields: [(String, String?)] = [
            ("useragentFamily", browser.family), ("useragentMajor", browser.major),
            ("useragentMinor", browser.minor), ("useragentPatch", browser.patch),
            ("useragentVersion", browserVersion), ("osFamily", os.family), ("osMajor", os.major),
            ("osMinor", os.minor), ("osPatch", os.patch), ("osPatchMinor", os.patchMinor),
            ("osVersion", osVersion), ("deviceFamily", parsed.device.family),
        ]
        return "{" + fields.map { "\"\($0.0)\":" + ($0.1.map(JSONValue.quoted) ?? "null") }.joined(separator: ",") + "}"
    }
}
