/// Configuration of the user-agent enrichment, mirroring the `parameters` of Snowplow's
/// `iglu:com.snowplowanalytics.snowplow/ua_parser_config/jsonschema/1-0-1` (`database`, `uri`) plus the
/// cache size and the atomic-field switch that Freshet adds.
public struct UserAgentEnrichmentConfiguration: Sendable, Equatable {
    /// Whether the enrichment runs at all. Default: `true`.
    public var enabled: Bool
    /// Folder holding the rules file, as a path or a `file://` URI (Snowplow's `uri`; Freshet reads local
    /// files only). Default: `.stack/data/enrichments` (where `scripts/fetch-uap-rules.py` writes).
    public var uri: String
    /// File name of the uap-core rules in ``uri`` (Snowplow's `database`). Default: `regexes.yaml`.
    public var database: String
    /// Most user agents kept in the LRU cache; 0 disables the cache. Default: 5000 (Snowplow's value).
    public var cacheSize: Int
    /// Whether to fill the atomic `br_*`, `os_*` and `dvce_*` fields (see ``UserAgentAtomicFields``) besides
    /// the `ua_parser_context` entity. Default: `true`.
    public var fillsAtomicFields: Bool

    /// Creates a configuration; every parameter has the documented default.
    public init(
        enabled: Bool = true, uri: String = ".stack/data/enrichments", database: String = "regexes.yaml",
        cacheSize: Int = 5000, fillsAtomicFields: Bool = true
    ) {
        self.enabled = enabled
        self.uri = uri
        self.database = database
        self.cacheSize = cacheSize
        self.fillsAtomicFields = fillsAtomicFields
    }

    /// The local path of the rules file: ``uri`` (without a `file://` prefix) joined with ``database``.
    public var rulesPath: String {
        var folder = uri.hasPrefix("file://") ? String(uri.dropFirst("file://".count)) : uri
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        return folder.isEmpty ? database : folder + "/" + database
    }
}
