import Shared
import Testing

@testable import Enricher

struct BotDetectionTests {
    static let human = ParsedUserAgent(
        browser: .init(family: "Chrome", major: "131"), operatingSystem: .init(family: "Windows", major: "10"),
        device: .other)
    static let spider = ParsedUserAgent(
        browser: .init(family: "Googlebot", major: "2", minor: "1"), operatingSystem: .other,
        device: .init(family: "Spider", brand: "Spider", model: "Desktop"))
    static let chrome =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

    @Test("a browser is not a bot, and still gets an entity saying so")
    func human() throws {
        let result = try BotDetector(configuration: .init()).detect(useragent: Self.chrome, parsed: Self.human)
        #expect(!result.isBot)
        #expect(result.entity.schema == "iglu:com.snowplowanalytics.snowplow/bot_detection/jsonschema/1-0-1")
        #expect(result.entity.dataJSON == #"{"bot":false,"indicators":[]}"#)
    }

    @Test("Googlebot: uap-core's Spider and the pattern list both fire, in Snowplow's order")
    func googlebot() throws {
        let result = try BotDetector(configuration: .init()).detect(
            useragent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", parsed: Self.spider)
        #expect(result.indicators == [.userAgentParserSpider, .userAgentPattern])
        #expect(result.matchedPattern == .substring("bot"))
        #expect(result.entity.dataJSON == #"{"bot":true,"indicators":["yauaa","iab"]}"#)
    }

    @Test(
        "tools and automation announce themselves",
        arguments: [
            "curl/8.5.0", "python-requests/2.31.0", "Wget/1.21.4", "Go-http-client/1.1",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "Scrapy/2.11 (+https://scrapy.org)",
        ])
    func tools(useragent: String) throws {
        let result = try BotDetector(configuration: .init()).detect(useragent: useragent, parsed: Self.human)
        #expect(result.indicators == [.userAgentPattern])
    }

    @Test("a Cubot phone is excluded although its name contains “bot”")
    func cubotExcluded() throws {
        let result = try BotDetector(configuration: .init()).detect(
            useragent:
                "Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 Chrome/119.0.0.0 Mobile Safari/537.36",
            parsed: Self.human)
        #expect(!result.isBot)
    }

    @Test("bot ASNs flag the event only when the ASN is in the list")
    func asns() throws {
        let detector = try BotDetector(configuration: .init(botAsns: [16509, 14061]))
        #expect(
            detector.detect(useragent: Self.chrome, parsed: Self.human, asn: 16509).indicators == [.botAutonomousSystem]
        )
        #expect(!detector.detect(useragent: Self.chrome, parsed: Self.human, asn: 3320).isBot)
        #expect(!detector.detect(useragent: Self.chrome, parsed: Self.human, asn: nil).isBot)
        let off = try BotDetector(configuration: .init(useAsnLookups: false, botAsns: [16509]))
        #expect(!off.detect(useragent: Self.chrome, parsed: Self.human, asn: 16509).isBot)
    }

    @Test("the tracker's own verdict counts when enabled")
    func clientSide() throws {
        let detector = try BotDetector(configuration: .init())
        #expect(
            detector.detect(useragent: Self.chrome, parsed: Self.human, clientSideBot: true).entity.dataJSON
                == #"{"bot":true,"indicators":["clientSideDetection"]}"#)
        #expect(!detector.detect(useragent: Self.chrome, parsed: Self.human, clientSideBot: false).isBot)
        let off = try BotDetector(configuration: .init(useClientSideDetection: false))
        #expect(!off.detect(useragent: Self.chrome, parsed: Self.human, clientSideBot: true).isBot)
    }

    @Test("every source together, each switchable")
    func allSources() throws {
        let all = try BotDetector(configuration: .init(botAsns: [16509]))
        let result = all.detect(useragent: "Googlebot/2.1", parsed: Self.spider, asn: 16509, clientSideBot: true)
        #expect(
            result.entity.dataJSON == #"{"bot":true,"indicators":["yauaa","iab","asnLookups","clientSideDetection"]}"#)
        let noUserAgent = try BotDetector(configuration: .init(useUserAgentParser: false, useUserAgentPatterns: false))
        #expect(!noUserAgent.detect(useragent: "Googlebot/2.1", parsed: Self.spider).isBot)
    }

    @Test("custom lists: regex patterns, case-insensitive substrings, exclusions")
    func customLists() throws {
        let detector = try BotDetector(
            configuration: .init(
                includeUseragents: [.substring("MyMonitor"), .regex(#"^Synthetic/\d+"#)],
                excludeUseragents: [.regex("internal-canary", caseInsensitive: false)]))
        #expect(detector.detect(useragent: "x mymonitor/1 y", parsed: nil).matchedPattern == .substring("MyMonitor"))
        #expect(detector.detect(useragent: "synthetic/42", parsed: nil).matchedPattern == .regex(#"^Synthetic/\d+"#))
        #expect(!detector.detect(useragent: "x Synthetic/42", parsed: nil).isBot)
        #expect(!detector.detect(useragent: "MyMonitor internal-canary", parsed: nil).isBot)
        #expect(detector.detect(useragent: "MyMonitor INTERNAL-CANARY", parsed: nil).isBot)
        #expect(!detector.detect(useragent: "Googlebot", parsed: nil).isBot)
    }

    @Test("an unusable pattern is a configuration error")
    func invalidPatterns() {
        for patterns in [[BotUserAgentPattern.substring("")], [.regex("(unclosed")], [.regex("(?=lookahead)")]] {
            #expect {
                _ = try BotDetector(configuration: .init(includeUseragents: patterns))
            } throws: { error in
                (error as? FreshetError)?.code == .botDetectionPatternInvalid
            }
        }
    }
}

/// The whole chain on real rules: uap-core's parse feeds bot detection.
@Suite(.enabled(if: UserAgentTestData.uapCore != nil, UserAgentTestData.absentMessage))
struct BotDetectionWithRulesTests {
    @Test("uap-core marks known crawlers as Spider; ordinary browsers pass")
    func withRealRules() throws {
        let parser = try #require(UserAgentTestData.parser)
        let detector = try BotDetector(configuration: .init(includeUseragents: []))
        let crawler = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
        #expect(
            detector.detect(useragent: crawler, parsed: parser.parse(crawler)).indicators == [.userAgentParserSpider])
        let browser = BotDetectionTests.chrome
        #expect(!detector.detect(useragent: browser, parsed: parser.parse(browser)).isBot)
    }
}
