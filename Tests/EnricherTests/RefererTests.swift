import Foundation
import FreshetTestSupport
import Shared
import Testing

@testable import Enricher

/// Locates /work/shared/testdata (override with FRESHET_TESTDATA).
enum RefererTestData {
    static let directory: String? = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["FRESHET_TESTDATA"], !env.isEmpty { candidates.append(env) }
        candidates.append(TestEnvironment.repositoryRoot.appendingPathComponent("../shared/testdata").standardized.path)
        candidates.append("/work/shared/testdata")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/referer-parser/referers.yml") }
    }()
    static var available: Bool { directory != nil }
    static var yamlPath: String { (directory ?? "") + "/referer-parser/referers.yml" }
    static var testsPath: String { (directory ?? "") + "/referer-parser/referer-tests.json" }
}

@Suite struct RefererTests {
    private static let tinyJSON = #"""
        {"search": {"Google": {"domains": ["google.com", "google.co.uk", "google.com/imgres"], "parameters": ["q", "p"]},
                    "Google Images": {"domains": ["images.google.com", "google.fr/imgres"], "parameters": ["q"]}},
         "social": {"Facebook": {"domains": ["facebook.com"], "parameters": null, "extra": 1}},
         "unknown": {"Google": {"domains": ["support.google.com"]}},
         "email": {"Gmail": {"domains": ["mail.google.com"]}}}
        """#

    private func enrichment(internalDomains: [String] = [], custom: RefererDatabase? = nil) throws -> RefererEnrichment {
        RefererEnrichment(
            configuration: RefererConfiguration(databasePath: "unused", internalDomains: internalDomains, customReferers: custom),
            database: try RefererDatabase(json: Self.tinyJSON)
        )
    }

    private func classify(_ e: RefererEnrichment, _ url: String, page: String? = "www.mysite.com") throws -> RefererFields? {
        try e.classify(refererURL: url, pageHost: page).get()
    }

    @Test(.enabled(if: RefererTestData.available, "referer-parser test data not found (set FRESHET_TESTDATA)"))
    func refererParserSuitePassesWithItsYAMLDatabase() throws {
        let database = try RefererDatabase.load(contentsOf: RefererTestData.yamlPath)
        let enrichment = RefererEnrichment(configuration: .init(databasePath: RefererTestData.yamlPath), database: database)
        let data = try Data(contentsOf: URL(fileURLWithPath: RefererTestData.testsPath))
        let parsed = try JSONSerialization.jsonObject(with: data)
        let cases = try #require(parsed as? [[String: Any]])
        var failures: [String] = []
        for c in cases {
            let uri = c["uri"] as? String ?? ""
            let expectedMedium = c["medium"] as? String
            let expectedSource = c["source"] as? String
            let expectedTerm = c["term"] as? String
            let result: RefererFields? = (try? enrichment.classify(refererURL: uri, pageHost: nil).get()) ?? nil
            let got = (result?.medium.rawValue, result?.source, result?.term)
            if got.0 != expectedMedium || got.1 != expectedSource || got.2 != expectedTerm {
                failures.append("\(c["spec"] ?? uri): expected \(expectedMedium ?? "nil")/\(expectedSource ?? "nil")/\(expectedTerm ?? "nil"), got \(got.0 ?? "nil")/\(got.1 ?? "nil")/\(got.2 ?? "nil")")
            }
        }
        print("referer-parser referer-tests.json: \(cases.count - failures.count)/\(cases.count) passed")
        #expect(cases.count > 100)
        if !failures.isEmpty {
            let firstFailures = failures.prefix(20).joined(separator: "\n")
            Issue.record("\(failures.count) of \(cases.count) failed:\n\(firstFailures)")
        }
    }

    @Test func lookupOrderHostPathThenParentDomains() throws {
        let e = try enrichment()
        // host + first path segment beats the bare host (Google Images vs nothing for google.fr).
        #expect(try classify(e, "http://www.google.fr/imgres?q=cats") == RefererFields(medium: .search, source: "Google Images", term: "cats"))
        // Parent domain: www.google.co.uk → google.co.uk.
        #expect(try classify(e, "https://www.google.co.uk/search?p=x&q=y") == RefererFields(medium: .search, source: "Google", term: "x"))
        // A more specific host entry wins over its parent (images.google.com before google.com).
        #expect(try classify(e, "http://images.google.com/?q=a+b")?.source == "Google Images")
        // Medium "unknown" database entries drop the source; email/social keep it; no term outside search.
        #expect(try classify(e, "https://support.google.com/x?q=1") == RefererFields(medium: .unknown))
        #expect(try classify(e, "https://mail.google.com/mail/u/0") == RefererFields(medium: .email, source: "Gmail"))
        #expect(try classify(e, "http://m.facebook.com/l.php?q=zz") == RefererFields(medium: .social, source: "Facebook"))
        #expect(try classify(e, "http://www.google.com/search") == RefererFields(medium: .search, source: "Google"))
        #expect(try classify(e, "http://www.google.com/search?q=") == RefererFields(medium: .search, source: "Google"))
    }

    @Test func internalAndUnknownReferers() throws {
        let e = try enrichment(internalDomains: [" shop.mysite.com ", "blog.mysite.com"])
        #expect(try classify(e, "https://www.mysite.com/page") == RefererFields(medium: .internal))
        #expect(try classify(e, "https://shop.mysite.com/") == RefererFields(medium: .internal))
        #expect(try classify(e, "https://Shop.mysite.com/") == RefererFields(medium: .unknown))  // exact match, as Snowplow
        #expect(try classify(e, "https://elsewhere.org/?q=x") == RefererFields(medium: .unknown))
        #expect(try classify(e, "https://www.google.com/", page: "www.google.com") == RefererFields(medium: .internal))
        // Not classified: other schemes, no host.
        #expect(try classify(e, "ftp://google.com/") == nil)
        #expect(try classify(e, "http://exa_mple.com/") == nil)
        #expect(try classify(e, "android-app://com.google.android.gm/")?.medium == .unknown)
        // Unparseable referer: a typed failure, not a crash.
        #expect((try? e.classify(refererURL: "http://", pageHost: nil).get()) == nil)
    }

    @Test func searchTermDecodingAndCleanup() throws {
        let e = try enrichment()
        #expect(try classify(e, "http://google.com/search?q=%0Agateway%09oracle+cards&hl=en")?.term == "gateway    oracle cards")
        #expect(try classify(e, "http://google.com/search?q=caf%C3%A9%20cr%C3%A8me")?.term == "café crème")
        #expect(try classify(e, "http://google.com/search?q=50%")?.term == "50%")
        #expect(try classify(e, "http://google.com/search?x=1&=q&q=b")?.term == "b")
    }

    @Test func customReferersAreSearchedFirst() throws {
        let custom = RefererDatabase(entries: ["google.com": RefererSource(medium: .paid, name: "My Ads", parameters: [])])
        let e = try enrichment(custom: custom)
        #expect(try classify(e, "https://www.google.com/search?q=x") == RefererFields(medium: .paid, source: "My Ads"))
        #expect(try classify(e, "https://facebook.com/")?.source == "Facebook")
    }

    @Test func loadsThePyPIJSONDatabaseFetchedByTheScript() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("referers")).path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/fetch-referers.py").path
        let run = try ChildProcess.run(TestEnvironment.python, [script, out])
        try #require(run.status == 0, "fetch-referers.py failed: \(run.stderrText)")
        let database = try RefererDatabase.load(contentsOf: out + "/referers.json")
        #expect(database.entries.count > 2000)
        let e = RefererEnrichment(configuration: .init(databasePath: out + "/referers.json"), database: database)
        #expect(try e.classify(refererURL: "http://www.google.com/search?q=gateway+oracle+cards&hl=en", pageHost: nil).get()
            == RefererFields(medium: .search, source: "Google", term: "gateway oracle cards"))
        #expect(try e.classify(refererURL: "http://itusozluk.com/", pageHost: nil).get()?.source == "Pocket")
    }

    @Test func badDatabaseFilesAreReportedNotCrashes() throws {
        let cases: [(String, String)] = [
            ("db.json", "{not json"),
            ("db.json", "[1,2]"),
            ("db.json", #"{"spam": {"X": {"domains": ["x.com"]}}}"#),
            ("db.json", #"{"search": {"X": {"parameters": ["q"]}}}"#),
            ("db.json", #"{"search": {"X": {"domains": ["x.com"], "parameters": "q"}}}"#),
            ("db.yml", "search: [unclosed"),
            ("db.yml", "search:\n  X:\n    parameters: [q]\n"),
            ("db.yml", "- a\n- b\n"),
        ]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("refdb")).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (i, (name, text)) in cases.enumerated() {
            let path = "\(dir)/\(i)-\(name)"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try RefererDatabase.load(contentsOf: path)
                Issue.record("\(name) \(text) should be rejected")
            } catch {
                #expect(error.code == .refererDatabaseInvalid)
            }
        }
        do {
            _ = try RefererDatabase.load(contentsOf: dir + "/missing.json")
            Issue.record("a missing file should be rejected")
        } catch {
            #expect(error.code == .refererDatabaseInvalid)
        }
        let yaml = try RefererDatabase(yaml: "search:\n  Y:\n    domains: [y.com, 1.cz]\n    parameters: null\n")
        #expect(yaml.entries["1.cz"]?.name == "Y")
        #expect(yaml.entries["y.com"]?.parameters == [])
    }
}
