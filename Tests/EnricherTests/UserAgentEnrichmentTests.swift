import Foundation
import FreshetTestSupport
import Testing

@testable import Enricher

struct UserAgentEnrichmentTests {
    @Test("the ua_parser_context entity: Snowplow's schema, field order, nulls and version strings")
    func contextEntity() {
        let parsed = ParsedUserAgent(
            browser: .init(family: "Chrome", major: "120", minor: "0", patch: "6099", patchMinor: "109"),
            operatingSystem: .init(family: "Mac OS X", major: "10", minor: "15", patch: "7"),
            device: .init(family: "Mac", brand: "Apple", model: "Mac"))
        let result = UserAgentEnrichmentResult(parsed: parsed, fillsAtomicFields: true)
        #expect(result.entity.schema == "iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0")
        #expect(
            result.entity.dataJSON == """
                {"useragentFamily":"Chrome","useragentMajor":"120","useragentMinor":"0","useragentPatch":"6099",\
                "useragentVersion":"Chrome 120.0.6099","osFamily":"Mac OS X","osMajor":"10","osMinor":"15",\
                "osPatch":"7","osPatchMinor":null,"osVersion":"Mac OS X 10.15.7","deviceFamily":"Mac"}
                """)
    }

    @Test("unknown parts: version strings keep only the known parts, as Snowplow builds them")
    func otherEntity() throws {
        let unknown = ParsedUserAgent(browser: .other, operatingSystem: .other, device: .other)
        let json = UserAgentEnrichmentResult(parsed: unknown, fillsAtomicFields: false).entity.dataJSON
        #expect(
            json == """
                {"useragentFamily":"Other","useragentMajor":null,"useragentMinor":null,"useragentPatch":null,\
                "useragentVersion":"Other","osFamily":"Other","osMajor":null,"osMinor":null,"osPatch":null,\
                "osPatchMinor":null,"osVersion":"Other","deviceFamily":"Other"}
                """)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(object?.count == 12)
    }

    @Test("text that needs escaping stays valid JSON")
    func escaping() throws {
        let parsed = ParsedUserAgent(
            browser: .init(family: "Quote\" back\\ tab\t ctl\u{01} ü"), operatingSystem: .other, device: .other)
        let json = UserAgentEnrichmentResult(parsed: parsed, fillsAtomicFields: false).entity.dataJSON
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["useragentFamily"] as? String == "Quote\" back\\ tab\t ctl\u{01} ü")
    }

    struct AtomicCase: Sendable {
        let parsed: ParsedUserAgent
        let expected: [String: String]
        let order: [String]
    }

    static let atomicCases: [AtomicCase] = {
        let windows = ParsedUserAgent(
            browser: .init(family: "Chrome", major: "131", minor: "0", patch: "0"),
            operatingSystem: .init(family: "Windows", major: "10"), device: .other)
        let iPhone = ParsedUserAgent(
            browser: .init(family: "Mobile Safari", major: "17", minor: "6"),
            operatingSystem: .init(family: "iOS", major: "17", minor: "6", patch: "1"),
            device: .init(family: "iPhone", brand: "Apple", model: "iPhone"))
        let iPad = ParsedUserAgent(
            browser: .init(family: "Mobile Safari", major: "16"), operatingSystem: .init(family: "iOS", major: "16"),
            device: .init(family: "iPad", brand: "Apple", model: "iPad"))
        let spider = ParsedUserAgent(
            browser: .init(family: "Googlebot", major: "2", minor: "1"), operatingSystem: .other,
            device: .init(family: "Spider", brand: "Spider", model: "Desktop"))
        let unknown = ParsedUserAgent(browser: .other, operatingSystem: .other, device: .other)
        let all = ["br_name", "br_family", "br_version", "os_name", "os_family", "dvce_type", "dvce_ismobile"]
        return [
            AtomicCase(
                parsed: windows,
                expected: [
                    "br_name": "Chrome 131", "br_family": "Chrome", "br_version": "131.0.0", "os_name": "Windows 10",
                    "os_family": "Windows", "dvce_type": "Computer", "dvce_ismobile": "0",
                ], order: all),
            AtomicCase(
                parsed: iPhone,
                expected: [
                    "br_name": "Mobile Safari 17", "br_family": "Mobile Safari", "br_version": "17.6",
                    "os_name": "iOS 17", "os_family": "iOS", "dvce_type": "Mobile", "dvce_ismobile": "1",
                ], order: all),
            AtomicCase(
                parsed: iPad,
                expected: [
                    "br_name": "Mobile Safari 16", "br_family": "Mobile Safari", "br_version": "16",
                    "os_name": "iOS 16", "os_family": "iOS", "dvce_type": "Tablet", "dvce_ismobile": "1",
                ], order: all),
            AtomicCase(
                parsed: spider,
                expected: ["br_name": "Googlebot 2", "br_family": "Googlebot", "br_version": "2.1"],
                order: ["br_name", "br_family", "br_version"]),
            AtomicCase(parsed: unknown, expected: [:], order: []),
        ]
    }()

    @Test("atomic fields from the parse", arguments: atomicCases)
    func atomicFields(_ testCase: AtomicCase) {
        let columns = UserAgentAtomicFields(testCase.parsed).columns
        #expect(columns.map(\.column) == testCase.order)
        var values: [String: String] = [:]
        for (column, value) in columns { values[column] = value }
        #expect(values == testCase.expected)
    }

    @Test("no user agent, no entity; atomic fields can be switched off")
    func noUserAgent() throws {
        let parser = try UserAgentParserTests.parser()
        let enrichment = UserAgentEnrichment(configuration: .init(fillsAtomicFields: false), parser: parser)
        #expect(enrichment.enrich(useragent: nil) == nil)
        #expect(enrichment.enrich(useragent: "") == nil)
        let result = try #require(enrichment.enrich(useragent: "Firefox/3.6"))
        #expect(result.atomicFields == nil)
        #expect(result.parsed.browser.family == "Firefox")
    }

    @Test("the configuration joins uri and database as Snowplow's does")
    func rulesPath() {
        #expect(UserAgentEnrichmentConfiguration().rulesPath == ".stack/data/enrichments/regexes.yaml")
        #expect(
            UserAgentEnrichmentConfiguration(uri: "file:///srv/rules/", database: "r.yml").rulesPath
                == "/srv/rules/r.yml")
    }

    @Test("built from a configuration, the enrichment reads the rules file it names")
    func fromConfiguration() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("uap"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(UserAgentParserTests.rules.utf8).write(to: folder.appendingPathComponent("regexes.yaml"))
        let enrichment = try UserAgentEnrichment(configuration: .init(uri: folder.path))
        #expect(enrichment.enrich(useragent: "x Win98 y")?.parsed.operatingSystem.family == "Windows 98")
    }
}
