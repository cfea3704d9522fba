import Foundation
import FreshetTestSupport
import Testing

@testable import Enricher

/// The rules shipped in the PyPI package `ua-parser-builtins`, converted by `scripts/fetch-uap-rules.py`,
/// must parse user agents exactly as the Python `ua_parser` package (uap-core's own Python implementation)
/// parses them with the same rules.
@Suite(
    "User-agent parsing agrees with Python ua_parser",
    .enabled(if: UserAgentPythonOracle.isAvailable, "the project venv lacks ua-parser / ua-parser-builtins / PyYAML"))
struct UserAgentPythonCrossCheckTests {
    /// Real user agents of the common kinds, so the check runs even without the uap-core test data.
    static let commonUserAgents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPad; CPU OS 16_7_10 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0", "python-requests/2.31.0", "Wget/1.21.4", "Go-http-client/1.1",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54",
        "Mozilla/5.0 (Linux; U; Android 4.2.2; de-de; PEDI_PLUS_W Build/JDQ39) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30",
        "", "Seznam prohlížeč", "Mozilla/5.0 (Windows NT 10.0; ﬃ) ǅ Gecko/20100101 Firefox/99.0",
    ]

    @Test("fetch-uap-rules.py output, parsed here and by ua_parser 1.0, gives the same results")
    func agreesWithPython() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            TestEnvironment.uniqueName("uap_rules"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/fetch-uap-rules.py").path
        let conversion = try ChildProcess.run(TestEnvironment.python, [script, folder.path])
        try #require(conversion.status == 0, "fetch-uap-rules.py failed: \(conversion.stderrText)")

        let rules = try UserAgentRules.load(contentsOf: folder.appendingPathComponent("regexes.yaml").path)
        let parser = try UserAgentParser(rules: rules)
        #expect(parser.foundationPatternCount == 0)

        var sample = Self.commonUserAgents
        if UserAgentTestData.uapCore != nil {
            for file in ["test_ua.yaml", "test_os.yaml", "test_device.yaml"] {
                let cases = try UserAgentTestData.cases(file)
                sample += stride(from: 0, to: cases.count, by: 15).compactMap { cases[$0]["user_agent_string"] ?? nil }
            }
        }
        let expected = try UserAgentPythonOracle.parse(sample)
        try #require(expected.count == sample.count)
        var failures: [String] = []
        for (ua, python) in zip(sample, expected) {
            let parsed = parser.parse(ua)
            let ours: [String?] = [
                parsed.browser.family, parsed.browser.major, parsed.browser.minor, parsed.browser.patch,
                parsed.browser.patchMinor, parsed.operatingSystem.family, parsed.operatingSystem.major,
                parsed.operatingSystem.minor, parsed.operatingSystem.patch, parsed.operatingSystem.patchMinor,
                parsed.device.family, parsed.device.brand, parsed.device.model,
            ]
            if ours != python {
                failures.append(
                    "  \(ua)\n    python \(python.map { $0 ?? "nil" })\n    ours   \(ours.map { $0 ?? "nil" })")
            }
        }
        print("ua_parser (Python) cross-check: \(sample.count - failures.count)/\(sample.count) agreed")
        if !failures.isEmpty {
            let listing = failures.prefix(20).joined(separator: "\n")
            Issue.record("\(failures.count) of \(sample.count) user agents parse differently; first 20:\n\(listing)")
        }
    }
}

/// The Python `ua_parser` package in the project venv, run as a child process.
enum UserAgentPythonOracle {
    static let isAvailable: Bool = {
        let probe = try? ChildProcess.python("import ua_parser, ua_parser_builtins, yaml")
        return probe?.status == 0
    }()

    /// Parses each user agent with `ua_parser.parse(…).with_defaults()`; one array of 13 fields per agent.
    static func parse(_ userAgents: [String]) throws -> [[String?]] {
        let script = """
            import json, sys, ua_parser
            out = []
            for ua in json.load(sys.stdin):
                r = ua_parser.parse(ua).with_defaults()
                u, o, d = r.user_agent, r.os, r.device
                out.append([u.family, u.major, u.minor, u.patch, u.patch_minor, o.family, o.major, o.minor,
                             o.patch, o.patch_minor, d.family, d.brand, d.model])
            json.dump(out, sys.stdout)
            """
        let input = try JSONSerialization.data(withJSONObject: userAgents)
        let output = try ChildProcess.python(script, input: input)
        try #require(output.status == 0, "ua_parser failed: \(output.stderrText)")
        let decoded = try JSONSerialization.jsonObject(with: output.stdout) as? [[Any]] ?? []
        return decoded.map { row in row.map { $0 as? String } }
    }
}
