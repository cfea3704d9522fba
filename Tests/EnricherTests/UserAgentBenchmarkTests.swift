import Foundation
import Testing

@testable import Enricher

/// Speed measurements, not assertions about speed: run on demand with
/// `FRESHET_BENCHMARK=1 swift test -c release --filter UserAgentBenchmarkTests` and read the printed figures.
/// The only expectations are about results (cached and uncached parses agree), so the run stays meaningful.
@Suite(
    "User-agent parsing speed",
    .enabled(if: ProcessInfo.processInfo.environment["FRESHET_BENCHMARK"] == "1", "set FRESHET_BENCHMARK=1"),
    .enabled(if: UserAgentTestData.uapCore != nil, UserAgentTestData.absentMessage))
struct UserAgentBenchmarkTests {
    static func sampleUserAgents() throws -> [String] {
        var seen = Set<String>()
        var all: [String] = []
        for file in ["test_ua.yaml", "test_os.yaml", "test_device.yaml"] {
            for testCase in try UserAgentTestData.cases(file) {
                if let ua = testCase["user_agent_string"] ?? nil, seen.insert(ua).inserted { all.append(ua) }
            }
        }
        return all
    }

    static func microseconds(_ count: Int, _ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds * 1e6 / Double(count)
    }

    @Test("uncached, unfiltered, cached and Zipf-distributed traffic")
    func measure() throws {
        let userAgents = try Self.sampleUserAgents()
        let folder = try #require(UserAgentTestData.uapCore)
        let rules = try UserAgentRules.load(contentsOf: folder.appendingPathComponent("regexes.yaml").path)
        var compiled = ContinuousClock.now
        let parser = try UserAgentParser(rules: rules)
        print(
            "compile rules (backtracking + literal filter): \(ContinuousClock.now - compiled); "
                + "patterns left on NSRegularExpression: \(parser.foundationPatternCount)")
        compiled = ContinuousClock.now
        let foundation = try UserAgentParser(rules: rules, engine: .foundation)
        print("compile rules (NSRegularExpression + literal filter): \(ContinuousClock.now - compiled)")
        let unfiltered = try UserAgentParser(rules: rules, literalFilter: false)
        let foundationUnfiltered = try UserAgentParser(rules: rules, literalFilter: false, engine: .foundation)

        var sink = 0
        let sample = stride(from: 0, to: userAgents.count, by: 10).map { userAgents[$0] }
        for (name, candidate, input) in [
            ("backtracking, literal filter on", parser, userAgents),
            ("backtracking, literal filter off", unfiltered, userAgents),
            ("NSRegularExpression, literal filter on", foundation, userAgents),
            ("NSRegularExpression, literal filter off", foundationUnfiltered, sample),
        ] {
            _ = Self.microseconds(input.count) {
                for ua in input.prefix(2000) { sink &+= candidate.parse(ua).device.family.utf8.count }
            }
            let cost = Self.microseconds(input.count) {
                for ua in input { sink &+= candidate.parse(ua).browser.family.utf8.count }
            }
            print("uncached parse (ua+os+device), \(name): \(cost) µs/UA over \(input.count) distinct UAs")
        }
        for ua in sample { #expect(parser.parse(ua) == foundation.parse(ua)) }

        let popular = [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        ]
        let popularCost = Self.microseconds(popular.count * 200) {
            for _ in 0..<200 { for ua in popular { sink &+= parser.parse(ua).device.family.utf8.count } }
        }
        let popularFoundation = Self.microseconds(popular.count * 200) {
            for _ in 0..<200 { for ua in popular { sink &+= foundation.parse(ua).device.family.utf8.count } }
        }
        print(
            "uncached parse of 5 popular desktop/mobile UAs: \(popularCost) µs (NSRegularExpression: \(popularFoundation) µs)"
        )

        let enrichment = UserAgentEnrichment(
            configuration: .init(cacheSize: userAgents.count), parser: parser)
        var firstPass: [UserAgentEnrichmentResult?] = []
        for ua in userAgents { firstPass.append(enrichment.enrich(useragent: ua)) }
        var secondPass: [UserAgentEnrichmentResult?] = []
        secondPass.reserveCapacity(userAgents.count)
        let cached = Self.microseconds(userAgents.count) {
            for ua in userAgents { secondPass.append(enrichment.enrich(useragent: ua)) }
        }
        print("cached enrich (hit): \(cached) µs")
        #expect(firstPass == secondPass)

        // Traffic: user agents drawn from a Zipf(1.0) law over the whole pool, 5000-entry cache.
        let traffic = UserAgentEnrichment(configuration: .init(cacheSize: 5000), parser: parser)
        var generator = SystemRandomNumberGenerator()
        let weights = (1...userAgents.count).map { 1.0 / Double($0) }
        let total = weights.reduce(0, +)
        var cumulative: [Double] = []
        var running = 0.0
        for weight in weights {
            running += weight / total
            cumulative.append(running)
        }
        let events = (0..<200_000).map { _ -> String in
            let draw = Double.random(in: 0..<1, using: &generator)
            var low = 0
            var high = cumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] < draw { low = middle + 1 } else { high = middle }
            }
            return userAgents[low]
        }
        let perEvent = Self.microseconds(events.count) {
            for ua in events { sink &+= traffic.enrich(useragent: ua)?.entity.dataJSON.utf8.count ?? 0 }
        }
        let stats = traffic.cache.statistics
        let hitRate = Double(stats.hits) / Double(stats.hits + stats.misses)
        print("Zipf traffic over \(userAgents.count) UAs, cache 5000: \(perEvent) µs/event, hit rate \(hitRate)")
        print("(sink \(sink))")
    }
}
