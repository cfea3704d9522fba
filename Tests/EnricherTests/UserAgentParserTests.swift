import Foundation
import Testing

@testable import Enricher

/// The uap-core semantics on small hand-written rules: order, replacements, trimming, flags, defaults.
struct UserAgentParserTests {
    static let rules = """
        user_agent_parsers:
          - regex: '(Namoroka|Shiretoko|Minefield)/(\\d+)\\.(\\d+)\\.(\\d+(?:pre)?)'
            family_replacement: 'Firefox ($1)'
          - regex: '(Firefox)/(\\d+)\\.(\\d+)'
          - regex: '(Firefox)/(\\d+)'
            family_replacement: 'never reached for Firefox/1.2'
          - regex: 'Pinned/(\\d+)'
            family_replacement: 'Pinned'
            v1_replacement: '2013'
          - regex: '(Spaced)( )'
            family_replacement: '  $1 and $2 $9 $0 '
        os_parsers:
          - regex: 'Win(95|98|3.1|NT|ME|2000)'
            os_replacement: 'Windows $1'
          - regex: '(Blank)(x?)'
            os_v1_replacement: '$2'
        device_parsers:
          - regex: '; *(PEDI)_(PLUS)_(W) Build'
            device_replacement: 'Odys $1 $2 $3'
            brand_replacement: 'Odys'
            model_replacement: '$1 $2 $3'
          - regex: '(feature)phone'
            regex_flag: 'i'
          - regex: 'Spider'
            device_replacement: 'Spider'
            brand_replacement: 'Spider'
            model_replacement: 'Desktop'
        """

    static func parser(engine: UserAgentRegexEngine = .backtracking) throws -> UserAgentParser {
        try UserAgentParser(rules: UserAgentRules(yaml: rules), engine: engine)
    }

    @Test("the specification's browser example", arguments: [UserAgentRegexEngine.backtracking, .foundation])
    func specificationBrowserExample(engine: UserAgentRegexEngine) throws {
        let parsed = try Self.parser(engine: engine).parse(
            "Mozilla/5.0 (Windows; Windows NT 5.1; rv:2.0b3pre) Gecko/20100727 Minefield/4.0.1pre")
        #expect(parsed.browser == .init(family: "Firefox (Minefield)", major: "4", minor: "0", patch: "1pre"))
    }

    @Test("the first matching rule wins; capture groups fill the fields in order")
    func firstMatchWins() throws {
        let parsed = try Self.parser().parse("Mozilla/5.0 Firefox/1.2")
        #expect(parsed.browser == .init(family: "Firefox", major: "1", minor: "2"))
    }

    @Test("a literal replacement is used as is (v1_replacement '2013')")
    func literalReplacement() throws {
        let parsed = try Self.parser().parse("Pinned/7")
        #expect(parsed.browser == .init(family: "Pinned", major: "2013"))
    }

    @Test("$n expands to the group or nothing ($0, missing groups), and the result is trimmed")
    func dollarExpansionAndTrimming() throws {
        let parsed = try Self.parser().parse("Spaced thing")
        #expect(parsed.browser.family == "Spaced and")
    }

    @Test("an empty expansion means unknown, not an empty string")
    func emptyExpansionIsNil() throws {
        let parsed = try Self.parser().parse("Blank")
        #expect(parsed.operatingSystem == .init(family: "Blank", major: nil))
    }

    @Test("the specification's OS and device examples; model and brand replacements")
    func specificationOSAndDeviceExamples() throws {
        let parser = try Self.parser()
        #expect(
            parser.parse("Mozilla/5.0 (Windows; U; Win95; en-US; rv:1.1) Gecko/20020826").operatingSystem.family
                == "Windows 95")
        let device = parser.parse(
            "Mozilla/5.0 (Linux; U; Android 4.2.2; de-de; PEDI_PLUS_W Build/JDQ39) AppleWebKit/534.30"
        ).device
        #expect(device == .init(family: "Odys PEDI PLUS W", brand: "Odys", model: "PEDI PLUS W"))
    }

    @Test("regex_flag 'i' matches without regard to case; without it case matters")
    func caseInsensitiveFlag() throws {
        let parser = try Self.parser()
        #expect(parser.parse("A FEATUREPHONE").device == .init(family: "FEATURE", brand: nil, model: "FEATURE"))
        #expect(parser.parse("firefox/1.2").browser == .other)
    }

    @Test("nothing matches: every family is Other and every other field is unknown")
    func noMatchIsOther() throws {
        let parsed = try Self.parser().parse("nothing to see")
        #expect(parsed == ParsedUserAgent(browser: .other, operatingSystem: .other, device: .other))
        #expect(parsed.browser.family == "Other" && parsed.device.brand == nil)
    }
}

/// The literal filter and the engine choice change speed, never results.
@Suite(.enabled(if: UserAgentTestData.uapCore != nil, UserAgentTestData.absentMessage))
struct UserAgentEngineAgreementTests {
    static func sample(every step: Int) throws -> [String] {
        var all: [String] = []
        for file in ["test_ua.yaml", "test_os.yaml", "test_device.yaml"] {
            let cases = try UserAgentTestData.cases(file)
            all += stride(from: 0, to: cases.count, by: step).compactMap { cases[$0]["user_agent_string"] ?? nil }
        }
        return all
    }

    static func rules() throws -> UserAgentRules {
        let folder = try #require(UserAgentTestData.uapCore)
        return try UserAgentRules.load(contentsOf: folder.appendingPathComponent("regexes.yaml").path)
    }

    @Test("with and without the literal filter")
    func literalFilterChangesNothing() throws {
        let rules = try Self.rules()
        let filtered = try UserAgentParser(rules: rules)
        let unfiltered = try UserAgentParser(rules: rules, literalFilter: false)
        let sample = try Self.sample(every: 50)
        let differing = sample.filter { filtered.parse($0) != unfiltered.parse($0) }
        #expect(differing.isEmpty, "differ: \(differing.prefix(5))")
    }

    @Test("backtracking engine and NSRegularExpression")
    func enginesAgree() throws {
        let rules = try Self.rules()
        let backtracking = try UserAgentParser(rules: rules)
        let foundation = try UserAgentParser(rules: rules, engine: .foundation)
        let sample = try Self.sample(every: 5)
        let differing = sample.filter { backtracking.parse($0) != foundation.parse($0) }
        #expect(differing.isEmpty, "differ: \(differing.prefix(5))")
    }
}
