/// Parameters of Snowplow's `referer_parser` enrichment
/// (`iglu:com.snowplowanalytics.snowplow/referer_parser/jsonschema/2-0-1`).
///
/// Value type; safe to share between threads.
public struct RefererConfiguration: Sendable {
    /// `internalDomains`: referer hosts counted as `internal` besides the page's own host (each entry is
    /// trimmed; exact, case-sensitive host match, as in Snowplow). Default: none.
    public var internalDomains: [String]
    /// `database`: the referer database file (`referers.json`, or a `.yml`). Required.
    public var databasePath: String
    /// `referrers`: custom entries looked up before the database (Snowplow 2-0-2). Default: none.
    public var customReferers: RefererDatabase?

    public init(databasePath: String, internalDomains: [String] = [], customReferers: RefererDatabase? = nil) {
        self.databasePath = databasePath
        self.internalDomains = internalDomains
        self.customReferers = customReferers
    }
}
