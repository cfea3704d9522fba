/// Configuration of bot detection. Snowplow's `bot_detection_enrichment_config` switches its sources on and
/// off (`useYauaa`, `useIab`, `useAsnLookups`, `useClientSideDetection`); Freshet's sources are its own
/// (see ``BotIndicator``) and carry their data here.
public struct BotDetectionConfiguration: Sendable, Equatable {
    /// Whether the enrichment runs at all. Default: `true`.
    public var enabled: Bool
    /// Use uap-core's `Spider` device family. Default: `true`.
    public var useUserAgentParser: Bool
    /// Use ``includeUseragents`` / ``excludeUseragents``. Default: `true`.
    public var useUserAgentPatterns: Bool
    /// A user agent matching any of these is a bot, unless it matches an exclusion.
    /// Default: ``defaultIncludeUseragents``.
    public var includeUseragents: [BotUserAgentPattern]
    /// Exceptions to ``includeUseragents`` (like the IAB list's exclusions). Default:
    /// ``defaultExcludeUseragents``.
    public var excludeUseragents: [BotUserAgentPattern]
    /// Use ``botAsns``. Default: `true` (no effect while the list is empty).
    public var useAsnLookups: Bool
    /// Autonomous-system numbers of networks whose traffic counts as bots (hosting and cloud providers).
    /// The event's ASN comes from the IP-lookups enrichment. Default: empty.
    public var botAsns: Set<Int>
    /// Trust the tracker's `client_side_bot_detection` entity. Default: `true`.
    public var useClientSideDetection: Bool

    /// Tools, crawlers and automation that announce themselves in the user agent.
    public static let defaultIncludeUseragents: [BotUserAgentPattern] = [
        "bot", "crawl", "spider", "slurp", "scraper", "archiver", "indexer", "headless", "phantomjs",
        "puppeteer", "playwright", "selenium", "webdriver", "lighthouse", "pagespeed", "pingdom", "uptime",
        "curl/", "wget/", "python-requests", "python-urllib", "python-httpx", "aiohttp", "httpx/",
        "go-http-client", "java/", "okhttp", "apache-httpclient", "libwww-perl", "node-fetch", "axios/",
        "scrapy", "facebookexternalhit", "feedfetcher", "embedly", "validator",
    ].map(BotUserAgentPattern.substring)

    /// Real devices and browsers whose names contain a bot word: Cubot phones.
    public static let defaultExcludeUseragents: [BotUserAgentPattern] = [.substring("cubot")]

    /// Creates a configuration; every parameter has the documented default.
    public init(
        enabled: Bool = true, useUserAgentParser: Bool = true, useUserAgentPatterns: Bool = true,
        includeUseragents: [BotUserAgentPattern] = Self.defaultIncludeUseragents,
        excludeUseragents: [BotUserAgentPattern] = Self.defaultExcludeUseragents, useAsnLookups: Bool = true,
        botAsns: Set<Int> = [], useClientSideDetection: Bool = true
    ) {
        self.enabled = enabled
        self.useUserAgentParser = useUserAgentParser
        self.useUserAgentPatterns = useUserAgentPatterns
        self.includeUseragents = includeUseragents
        self.excludeUseragents = excludeUseragents
        self.useAsnLookups = useAsnLookups
        self.botAsns = botAsns
        self.useClientSideDetection = useClientSideDetection
    }
}
