import Shared

/// Step 10: the campaign-attribution enrichment fills `mkt_medium`, `mkt_source`, `mkt_term`,
/// `mkt_content`, `mkt_campaign`, `mkt_clickid` and `mkt_network` from the page URL's querystring.
struct CampaignAttributionStep: Enrichment {
    let attribution: CampaignAttributionEnrichment
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .campaignAttribution }

    func enrich(_ context: inout EnrichmentContext) {
        guard !context.pageQuery.isEmpty else { return }
        let fields = attribution.extract(parameters: context.pageQuery)
        context.event.mktMedium = fields.medium
        context.event.mktSource = fields.source
        context.event.mktTerm = fields.term
        context.event.mktContent = fields.content
        context.event.mktCampaign = fields.campaign
        context.event.mktClickid = fields.clickId
        context.event.mktNetwork = fields.network
    }
}
