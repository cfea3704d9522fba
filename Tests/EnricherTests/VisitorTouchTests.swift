import Testing

@testable import Enricher
@testable import Shared

@Suite struct VisitorTouchTests {
    let time = SnowplowTimestamp(millisecondsSinceEpoch: 1_700_000_000_000)!

    @Test func campaignFieldsWinOverTheReferer() throws {
        let attribution = VisitorProfileInput.Attribution(
            refererMedium: "search", refererSource: "Google", refererTerm: "shoes", refererHost: "www.google.com",
            marketingMedium: "cpc", marketingSource: "adwords", marketingCampaign: "spring",
            marketingClickId: "gclid-1",
            marketingNetwork: "Google")
        let touch = try #require(VisitorTouch(attribution: attribution, timestamp: time, maximumBytes: 255))
        #expect(touch.storedValues == ["cpc", "adwords", nil, "spring", nil, "gclid-1", "Google", "www.google.com"])
    }

    @Test func anExternalRefererWithoutCampaignIsATouch() throws {
        let attribution = VisitorProfileInput.Attribution(
            refererMedium: "search", refererSource: "Bing", refererTerm: "red shoes", refererHost: "www.bing.com")
        let touch = try #require(VisitorTouch(attribution: attribution, timestamp: time, maximumBytes: 255))
        #expect(touch.storedValues == ["search", "Bing", "red shoes", nil, nil, nil, nil, "www.bing.com"])
    }

    @Test func directAndInternalTrafficAreNoTouch() {
        #expect(VisitorTouch(attribution: .init(), timestamp: time, maximumBytes: 255) == nil)
        #expect(
            VisitorTouch(
                attribution: .init(refererMedium: "internal", refererHost: "shop.example.com"), timestamp: time,
                maximumBytes: 255) == nil)
        // Without the referer enrichment there is no medium, so the host alone cannot tell internal from external.
        #expect(
            VisitorTouch(attribution: .init(refererHost: "elsewhere.org"), timestamp: time, maximumBytes: 255) == nil)
        // mkt_network alone comes from a click id; without the click id it is not a campaign.
        #expect(VisitorTouch(attribution: .init(marketingNetwork: "Google"), timestamp: time, maximumBytes: 255) == nil)
        #expect(VisitorTouch(attribution: .init(marketingMedium: ""), timestamp: time, maximumBytes: 255) == nil)
    }

    @Test func valuesAreCutToTheByteLimitOnCharacterBoundaries() throws {
        let attribution = VisitorProfileInput.Attribution(marketingCampaign: "ab€cd")  // € is three bytes
        #expect(try #require(VisitorTouch(attribution: attribution, timestamp: time, maximumBytes: 4)).campaign == "ab")
        #expect(
            try #require(VisitorTouch(attribution: attribution, timestamp: time, maximumBytes: 5)).campaign == "ab€")
        // A thumb with a skin tone is one character of eight bytes: it is kept whole or not at all.
        #expect(VisitorTouch.truncated("👍🏽x", toBytes: 4) == "")
        #expect(VisitorTouch.truncated("👍🏽x", toBytes: 8) == "👍🏽")
        #expect(VisitorTouch.truncated("short", toBytes: 255) == "short")
    }

    @Test func storedTouchesRoundTrip() throws {
        let attribution = VisitorProfileInput.Attribution(
            refererMedium: "social", refererSource: "Facebook", refererHost: "m.facebook.com")
        let touch = try #require(VisitorTouch(attribution: attribution, timestamp: time, maximumBytes: 255))
        let stored = VisitorTouch(stored: time.millisecondsSinceEpoch, values: touch.storedValues.map { $0 ?? "" })
        #expect(stored == touch)
        #expect(VisitorTouch(stored: 1, values: ["only one"]) == nil)
    }

    @Test func packedValuesRoundTripAnyBytes() throws {
        var touch = try #require(
            VisitorTouch(
                attribution: .init(refererMedium: "search", refererSource: "Bing", refererTerm: "12:34 über\u{1F}", refererHost: "www.bing.com"),
                timestamp: SnowplowTimestamp(millisecondsSinceEpoch: 7)!, maximumBytes: 255))
        #expect(String(decoding: touch.packedValues, as: UTF8.self) == "6:search4:Bing12:12:34 über\u{1F}0:0:0:0:12:www.bing.com")
        #expect(VisitorTouch(stored: 7, packed: touch.packedValues) == touch)
        touch.campaign = String(repeating: "x", count: 255)  // a three-digit length
        #expect(VisitorTouch(stored: 7, packed: touch.packedValues) == touch)
        var writer = MessagePack.Writer()
        touch.appendPackedValues(to: &writer)
        var reader = MessagePack.Reader(writer.bytes)
        #expect(reader.stringBytes().map(Array.init) == touch.packedValues)
        #expect(reader.isAtEnd)
    }

    @Test func malformedPackedValuesAreRefused() {
        for packed in ["", "1:a", "0:0:0:0:0:0:0:", "0:0:0:0:0:0:0:0:0:", "x:0:0:0:0:0:0:0:", "3:ab", ":0:0:0:0:0:0:0:", "0:0:0:0:0:0:0:9"] {
            #expect(VisitorTouch(stored: 1, packed: Array(packed.utf8)) == nil, "\(packed)")
        }
        #expect(VisitorTouch(stored: 1, packed: Array("0:0:0:0:0:0:0:0:".utf8)) != nil)
    }
}
