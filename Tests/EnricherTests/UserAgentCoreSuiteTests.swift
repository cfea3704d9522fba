import Foundation
import FreshetTestSupport
import Testing
import Yams

@testable import Enricher

/// Where the shared reference suites live: `$FRESHET_TESTDATA`, else `<repositoryRoot>/../shared/testdata`,
/// else `/work/shared/testdata`; `nil` when none holds uap-core's files.
enum UserAgentTestData {
    static let uapCore: URL? = {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["FRESHET_TESTDATA"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        candidates.append(TestEnvironment.repositoryRoot.appendingPathComponent("../shared/testdata"))
        candidates.append(URL(fileURLWithPath: "/work/shared/testdata"))
        return candidates.map { $0.appendingPathComponent("uap-core").standardizedFileURL }
            .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("regexes.yaml").path) }
    }()

    static let absentMessage: Comment =
        "uap-core test data not found (set FRESHET_TESTDATA or provide ../shared/testdata/uap-core)"

    /// The parser built from uap-core's own `regexes.yaml`, shared by the suites (compiling takes a moment).
    static let parser: UserAgentParser? = {
        guard let folder = uapCore else { return nil }
        return try? UserAgentParser(rules: .load(contentsOf: folder.appendingPathComponent("regexes.yaml").path))
    }()

    /// The `test_cases` of one uap-core test file, each a map from field name to value (`nil` for YAML null).
    static func cases(_ file: String) throws -> [[String: String?]] {
        let folder = try #require(uapCore)
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        let root = try #require(try Yams.compose(yaml: text))
        let list = try #require(root["test_cases"]?.sequence)
        return list.compactMap { node -> [String: String?]? in
            guard let mapping = node.mapping else { return nil }
            var fields: [String: String?] = [:]
            for (key, value) in mapping {
                guard let name = key.string, let scalar = value.scalar else { continue }
                let isNull = scalar.style == .plain && ["", "~", "null"].contains(scalar.string)
                fields[name] = isNull ? String?.none : scalar.string
            }
            return fields
        }
    }

    /// Runs `check` over every case, prints the pass count and records one issue listing the first 20
    /// failures.
    static func runSuite(
        _ file: String, _ check: (UserAgentParser, [String: String?]) -> String?
    ) throws {
        let parser = try #require(parser, "uap-core regexes.yaml did not load")
        let cases = try cases(file)
        var failures: [String] = []
        for testCase in cases {
            if let failure = check(parser, testCase) { failures.append(failure) }
        }
        let passed = cases.count - failures.count
        print("uap-core \(file): \(passed)/\(cases.count) passed")
        #expect(cases.count > 0, "no test cases read from \(file)")
        if !failures.isEmpty {
            let listing = failures.prefix(20).joined(separator: "\n")
            Issue.record("uap-core \(file): \(failures.count) of \(cases.count) failed; first 20:\n\(listing)")
        }
    }

    /// `nil` when all pairs are equal, else a line describing the differences.
    static func compare(_ userAgent: String, _ pairs: [(String, String?, String?)]) -> String? {
        let differences = pairs.filter { $0.1 != $0.2 }
        guard !differences.isEmpty else { return nil }
        let text = differences.map { "\($0.0): expected \($0.1 ?? "nil"), got \($0.2 ?? "nil")" }
        return "  \(userAgent)\n    " + text.joined(separator: "; ")
    }
}

@Suite("uap-core reference suites", .enabled(if: UserAgentTestData.uapCore != nil, UserAgentTestData.absentMessage))
struct UserAgentCoreSuiteTests {
    @Test("test_ua.yaml: every browser case")
    func browserCases() throws {
        try UserAgentTestData.runSuite("test_ua.yaml") { parser, expected in
            let ua = (expected["user_agent_string"] ?? nil) ?? ""
            let browser = parser.parse(ua).browser
            return UserAgentTestData.compare(
                ua,
                [
                    ("family", expected["family"] ?? nil, browser.family),
                    ("major", expected["major"] ?? nil, browser.major),
                    ("minor", expected["minor"] ?? nil, browser.minor),
                    ("patch", expected["patch"] ?? nil, browser.patch),
                ])
        }
    }

    @Test("test_os.yaml: every operating-system case")
    func operatingSystemCases() throws {
        try UserAgentTestData.runSuite("test_os.yaml") { parser, expected in
            let ua = (expected["user_agent_string"] ?? nil) ?? ""
            let os = parser.parse(ua).operatingSystem
            return UserAgentTestData.compare(
                ua,
                [
                    ("family", expected["family"] ?? nil, os.family),
                    ("major", expected["major"] ?? nil, os.major),
                    ("minor", expected["minor"] ?? nil, os.minor),
                    ("patch", expected["patch"] ?? nil, os.patch),
                    ("patch_minor", expected["patch_minor"] ?? nil, os.patchMinor),
                ])
        }
    }

    @Test("test_device.yaml: every device case")
    func deviceCases() throws {
        try UserAgentTestData.runSuite("test_device.yaml") { parser, expected in
            let ua = (expected["user_agent_string"] ?? nil) ?? ""
            let device = parser.parse(ua).device
            return UserAgentTestData.compare(
                ua,
                [
                    ("family", expected["family"] ?? nil, device.family),
                    ("brand", expected["brand"] ?? nil, device.brand),
                    ("model", expected["model"] ?? nil, device.model),
                ])
        }
    }
}
