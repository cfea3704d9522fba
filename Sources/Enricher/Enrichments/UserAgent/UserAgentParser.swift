import Foundation
import Shared

/// Parses user-agent strings with uap-core rules: the first matching rule of each list wins, its replacement
/// templates are expanded with `$1`…`$9`, and a list with no matching rule gives the family `"Other"`.
///
/// Compiling takes about 0.1 s (uap-core has some 1270 regexes); build one parser per rules file and
/// share it. Parsing is a pure function of the string; the parser is immutable and `Sendable`, so any number
/// of threads may call ``parse(_:)`` at once. It does not cache: ``UserAgentEnrichment`` adds the cache.
public struct UserAgentParser: Sendable {
    private let browsers: UserAgentRuleList
    private let operatingSystems: UserAgentRuleList
    private let devices: UserAgentRuleList
    private let exactLiterals: LiteralSearch
    private let foldedLiterals: LiteralSearch

    /// How many patterns run on `NSRegularExpression` because the backtracking engine cannot read them.
    public let foundationPatternCount: Int

    /// Compiles `rules`.
    /// - Parameters:
    ///   - literalFilter: skip regexes whose required literals are absent (see `RequiredLiterals`).
    ///     Turning it off changes speed only, never results. Default: on.
    ///   - engine: the regular-expression engine. Default: ``UserAgentRegexEngine/backtracking``.
    /// - Throws: `FreshetError` `.userAgentRegexInvalid` naming the first regex that does not compile.
    public init(rules: UserAgentRules, literalFilter: Bool = true, engine: UserAgentRegexEngine = .backtracking) throws
    {
        var literalIndex: [[UInt8]: Int] = [:]
        var foldedIndex: [[UInt8]: Int] = [:]

        func compile(_ regex: String, _ caseInsensitive: Bool, _ templates: [String?], _ location: String) throws
            -> (UserAgentPattern, [ReplacementTemplate?])
        {
            var clauses: [[Int]] = []
            if literalFilter {
                let required = RequiredLiterals(pattern: regex, caseInsensitive: caseInsensitive)
                clauses = required.clauses.map { clause in
                    clause.map { literal in
                        if caseInsensitive {
                            if let id = foldedIndex[literal] { return id }
                            foldedIndex[literal] = foldedIndex.count
                            return foldedIndex.count - 1
                        }
                        if let id = literalIndex[literal] { return id }
                        literalIndex[literal] = literalIndex.count
                        return literalIndex.count - 1
                    }
                }
            }
            let pattern = try UserAgentPattern(
                pattern: regex, caseInsensitive: caseInsensitive, clauses: clauses, engine: engine, location: location)
            return (pattern, templates.map { $0.map(ReplacementTemplate.init) })
        }

        let browsers = try rules.browsers.enumerated().map { index, rule in
            try compile(
                rule.regex, rule.caseInsensitive,
                [
                    rule.family ?? "$1", rule.major ?? "$2", rule.minor ?? "$3", rule.patch ?? "$4",
                    rule.patchMinor ?? "$5",
                ],
                "user_agent_parsers[\(index)]")
        }
        let operatingSystems = try rules.operatingSystems.enumerated().map { index, rule in
            try compile(
                rule.regex, rule.caseInsensitive,
                [
                    rule.family ?? "$1", rule.major ?? "$2", rule.minor ?? "$3", rule.patch ?? "$4",
                    rule.patchMinor ?? "$5",
                ],
                "os_parsers[\(index)]")
        }
        let devices = try rules.devices.enumerated().map { index, rule in
            try compile(
                rule.regex, rule.caseInsensitive, [rule.family ?? "$1", rule.brand, rule.model ?? "$1"],
                "device_parsers[\(index)]")
        }
        foundationPatternCount = (browsers + operatingSystems + devices).filter(\.0.usesFoundation).count
        self.browsers = UserAgentRuleList(patterns: browsers.map(\.0), templates: browsers.map(\.1))
        self.operatingSystems = UserAgentRuleList(
            patterns: operatingSystems.map(\.0), templates: operatingSystems.map(\.1))
        self.devices = UserAgentRuleList(patterns: devices.map(\.0), templates: devices.map(\.1))
        exactLiterals = LiteralSearch(literals: Self.ordered(literalIndex))
        foldedLiterals = LiteralSearch(literals: Self.ordered(foldedIndex))
    }

    private static func ordered(_ index: [[UInt8]: Int]) -> [[UInt8]] {
        var literals = [[UInt8]](repeating: [], count: index.count)
        for (literal, id) in index { literals[id] = literal }
        return literals
    }

    /// Parses one user-agent string (any string, including the empty one).
    public func parse(_ userAgent: String) -> ParsedUserAgent {
        let subject = UserAgentSubject(userAgent, exact: exactLiterals, folded: foldedLiterals)
        var result = ParsedUserAgent(browser: .other, operatingSystem: .other, device: .other)
        if let values = browsers.firstMatch(subject) {
            result.browser = .init(
                family: values[0] ?? "Other", major: values[1], minor: values[2], patch: values[3],
                patchMinor: values[4])
        }
        if let values = operatingSystems.firstMatch(subject) {
            result.operatingSystem = .init(
                family: values[0] ?? "Other", major: values[1], minor: values[2], patch: values[3],
                patchMinor: values[4])
        }
        if let values = devices.firstMatch(subject) {
            result.device = .init(family: values[0] ?? "Other", brand: values[1], model: values[2])
        }
        return result
    }
}
