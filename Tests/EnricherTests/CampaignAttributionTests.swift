import Testing

@testable import Enricher

@Suite struct CampaignAttributionTests {
    @Test func defaultsReadUtmParameters() {
        let fields = CampaignAttributionEnrichment().extract(
            rawQuery: "utm_source=news%20letter&utm_medium=email&utm_campaign=spring+sale&utm_term=shoes&utm_content=top&x=1"
        )
        #expect(fields == MarketingFields(medium: "email", source: "news letter", term: "shoes", content: "top", campaign: "spring sale"))
        #expect(fields.columns.map(\.column) == ["mkt_medium", "mkt_source", "mkt_term", "mkt_content", "mkt_campaign", "mkt_clickid", "mkt_network"])
    }

    @Test func firstConfiguredParameterPresentWinsAndLastDuplicateValue() {
        let enrichment = CampaignAttributionEnrichment(
            configuration: .init(mediumParameters: ["med", "utm_medium"], sourceParameters: ["src", "utm_source"])
        )
        let fields = enrichment.extract(rawQuery: "utm_medium=cpc&med=display&utm_source=g&utm_source=h")
        #expect(fields.medium == "display")
        #expect(fields.source == "h")
        // A present but empty parameter wins and yields nil (Snowplow's makeTsvSafe).
        #expect(enrichment.extract(rawQuery: "med=&utm_medium=cpc").medium == nil)
        #expect(enrichment.extract(rawQuery: "med&utm_medium=cpc").medium == nil)
        #expect(enrichment.extract(rawQuery: nil) == MarketingFields())
        #expect(CampaignAttributionEnrichment().extract(rawQuery: "utm_term=a%09b%0Ac").term == "a    bc")
    }

    @Test func clickIdPrecedenceFollowsTheNetworkList() {
        let enrichment = CampaignAttributionEnrichment()
        let all = enrichment.extract(rawQuery: "fbclid=f&dclid=d&msclkid=m&gclid=g")
        #expect(all.clickId == "g" && all.network == "Google")
        let two = enrichment.extract(rawQuery: "fbclid=f&msclkid=m")
        #expect(two.clickId == "m" && two.network == "Microsoft")
        let fb = enrichment.extract(rawQuery: "fbclid=IwAR3x")
        #expect(fb.clickId == "IwAR3x" && fb.network == "Facebook")
        let empty = enrichment.extract(rawQuery: "dclid=")
        #expect(empty.clickId == nil && empty.network == "DoubleClick")
        #expect(enrichment.extract(rawQuery: "other=1").network == nil)
    }

    @Test func customClickIdsMergeOverDefaults() {
        let configuration = CampaignAttributionConfiguration(customClickIds: [("ttclid", "TikTok"), ("gclid", "Google Ads")])
        #expect(configuration.clickIdNetworks.map(\.parameter) == ["gclid", "msclkid", "dclid", "fbclid", "ttclid"])
        let enrichment = CampaignAttributionEnrichment(configuration: configuration)
        #expect(enrichment.extract(rawQuery: "ttclid=t").network == "TikTok")
        #expect(enrichment.extract(rawQuery: "ttclid=t&gclid=g").network == "Google Ads")
    }
}
