import Shared

/// The user-agent enrichment: uap-core rules plus a bounded LRU cache keyed by the user-agent string.
///
/// Build one per rules file at start-up (``init(configuration:)`` loads and compiles the rules, which takes
/// about 0.1 s for uap-core's 1270 rules) and share it: ``enrich(useragent:)`` is safe to call from any number of
/// threads at once and never blocks on anything but the cache's short lock.
public struct UserAgentEnrichment: Sendable {
    /// The configuration it was built with.
    public let configuration: UserAgentEnrichmentConfiguration
    /// The compiled rules.
    public let parser: UserAgentParser
    /// Results by user-agent string.
    public let cache: UserAgentCache<UserAgentEnrichmentResult>

    /// Loads the rules file named by `configuration` and compiles it.
    /// - Throws: `FreshetError` `.io` (unreadable file), `.userAgentRulesInvalid` (not a rules document) or
    ///   `.userAgentRegexInvalid` (a regex that does not compile).
    public init(configuration: UserAgentEnrichmentConfiguration) throws {
        let rules = try UserAgentRules.load(contentsOf: configuration.rulesPath)
        try self.init(configuration: configuration, parser: UserAgentParser(rules: rules))
    }

    /// Uses an already compiled parser (its rules file in `configuration` is not read).
    public init(configuration: UserAgentEnrichmentConfiguration, parser: UserAgentParser) {
        self.configuration = configuration
        self.parser = parser
        self.cache = UserAgentCache(capacity: configuration.cacheSize)
    }

    /// The enrichment's output for an event's `useragent` field; `nil` when the event has no user agent
    /// (Snowplow then adds no `ua_parser_context`).
    public func enrich(useragent: String?) -> UserAgentEnrichmentResult? {
        guard let useragent, !useragent.isEmpty else { return nil }
        if let cached = cache.value(for: useragent) { return cached }
        let result = UserAgentEnrichmentResult(
            parsed: parser.parse(useragent), fillsAtomicFields: configuration.fillsAtomicFields)
        cache.insert(result, for: useragent)
        return result
    }
}
