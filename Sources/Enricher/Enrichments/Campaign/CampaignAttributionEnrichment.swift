/// The marketing fields Snowplow fills from the page URL's querystring.
public struct MarketingFields: Sendable, Equatable {
    /// `mkt_medium`
    public var medium: String?
    /// `mkt_source`
    public var source: String?
    /// `mkt_term`
    public var term: String?
    /// `mkt_content`
    public var content: String?
    /// `mkt_campaign`
    public var campaign: String?
    /// `mkt_clickid`
    public var clickId: String?
    /// `mkt_network`
    public var network: String?

    public init(
        medium: String? = nil, source: String? = nil, term: String? = nil, content: String? = nil,
        campaign: String? = nil, clickId: String? = nil, network: String? = nil
    ) {
        self.medium = medium
        self.source = source
        self.term = term
        self.content = content
        self.campaign = campaign
        self.clickId = clickId
        self.network = network
    }

    /// The enriched-event columns with their values.
    public var columns: [(column: String, value: String?)] {
        [
            ("mkt_medium", medium), ("mkt_source", source), ("mkt_term", term), ("mkt_content", content),
            ("mkt_campaign", campaign), ("mkt_clickid", clickId), ("mkt_network", network),
        ]
    }
}

/// Snowplow's campaign attribution (`CampaignAttributionEnrichment.extractMarketingFields`).
///
/// The querystring is parsed with ``QueryString/parameters(_:)`` (pairs split on `&` and `;`, `+` is a
/// space, escapes decoded); a name given twice keeps its **last** value. For each field the first
/// configured parameter present wins (a present parameter with an empty or missing value wins too, and
/// yields `nil`: Snowplow's `makeTsvSafe` turns `""` into null). The click id is the value of the first
/// parameter of ``CampaignAttributionConfiguration/clickIdNetworks`` that is present, and the network is
/// that entry's network — even when the value is empty (then only `mkt_network` is set). Tabs in values
/// become four spaces and control characters are dropped.
///
/// Value type; `extract` is pure and safe to call from any thread.
public struct CampaignAttributionEnrichment: Sendable {
    public let configuration: CampaignAttributionConfiguration

    public init(configuration: CampaignAttributionConfiguration = CampaignAttributionConfiguration()) {
        self.configuration = configuration
    }

    /// Extracts the fields from the page URL's raw querystring (`page_urlquery`); `nil` gives no fields.
    public func extract(rawQuery: String?) -> MarketingFields {
        guard let rawQuery, !rawQuery.isEmpty else { return MarketingFields() }
        return extract(parameters: QueryValues(QueryString.parameters(rawQuery)))
    }

    /// Extracts the fields from already parsed parameters (last value per name).
    public func extract(parameters: QueryValues) -> MarketingFields {
        func first(_ names: [String]) -> String? {
            for name in names { if let value = parameters[name] { return TSVSafety.fixTabsNewlines(value) } }
            return nil
        }
        var fields = MarketingFields(
            medium: first(configuration.mediumParameters),
            source: first(configuration.sourceParameters),
            term: first(configuration.termParameters),
            content: first(configuration.contentParameters),
            campaign: first(configuration.campaignParameters)
        )
        for entry in configuration.clickIdNetworks {
            if let value = parameters[entry.parameter] {
                fields.clickId = TSVSafety.fixTabsNewlines(value)
                fields.network = TSVSafety.fixTabsNewlines(entry.network)
                break
            }
        }
        return fields
    }
}
