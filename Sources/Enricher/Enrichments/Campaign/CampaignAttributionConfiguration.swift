/// Parameters of Snowplow's `campaign_attribution` enrichment
/// (`iglu:com.snowplowanalytics.snowplow/campaign_attribution/jsonschema/1-0-1`).
///
/// Value type; safe to share between threads.
public struct CampaignAttributionConfiguration: Sendable, Equatable {
    /// `fields.mktMedium`: querystring parameters for `mkt_medium`, first present wins. Default: `utm_medium`.
    public var mediumParameters: [String]
    /// `fields.mktSource`. Default: `utm_source`.
    public var sourceParameters: [String]
    /// `fields.mktTerm`. Default: `utm_term`.
    public var termParameters: [String]
    /// `fields.mktContent`. Default: `utm_content`.
    public var contentParameters: [String]
    /// `fields.mktCampaign`. Default: `utm_campaign`.
    public var campaignParameters: [String]
    /// Click-id parameter → advertising network, in precedence order: when several are present, the
    /// first in this list wins. Built by ``init(mediumParameters:sourceParameters:termParameters:contentParameters:campaignParameters:customClickIds:)``
    /// as the defaults followed by the custom entries (a custom entry for a default parameter replaces
    /// its network in place).
    public var clickIdNetworks: [(parameter: String, network: String)]

    /// The default click ids: Snowplow's `gclid → Google`, `msclkid → Microsoft`, `dclid → DoubleClick`,
    /// plus `fbclid → Facebook` (not a Snowplow default; configure `mktClickId` there to match).
    public static let defaultClickIdNetworks: [(parameter: String, network: String)] = [
        ("gclid", "Google"), ("msclkid", "Microsoft"), ("dclid", "DoubleClick"), ("fbclid", "Facebook"),
    ]

    /// - Parameter customClickIds: `fields.mktClickId`, merged over the defaults; later entries take
    ///   precedence below the defaults. (With two or more new ids Snowplow's own precedence follows Scala
    ///   hash-map order, i.e. is unspecified; ours is the configured order.)
    public init(
        mediumParameters: [String] = ["utm_medium"],
        sourceParameters: [String] = ["utm_source"],
        termParameters: [String] = ["utm_term"],
        contentParameters: [String] = ["utm_content"],
        campaignParameters: [String] = ["utm_campaign"],
        customClickIds: [(parameter: String, network: String)] = []
    ) {
        self.mediumParameters = mediumParameters
        self.sourceParameters = sourceParameters
        self.termParameters = termParameters
        self.contentParameters = contentParameters
        self.campaignParameters = campaignParameters
        var networks = Self.defaultClickIdNetworks
        for custom in customClickIds {
            if let i = networks.firstIndex(where: { $0.parameter == custom.parameter }) {
                networks[i].network = custom.network
            } else {
                networks.append(custom)
            }
        }
        self.clickIdNetworks = networks
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.mediumParameters == rhs.mediumParameters && lhs.sourceParameters == rhs.sourceParameters
            && lhs.termParameters == rhs.termParameters && lhs.contentParameters == rhs.contentParameters
            && lhs.campaignParameters == rhs.campaignParameters
            && lhs.clickIdNetworks.map(\.parameter) == rhs.clickIdNetworks.map(\.parameter)
            && lhs.clickIdNetworks.map(\.network) == rhs.clickIdNetworks.map(\.network)
    }
}
