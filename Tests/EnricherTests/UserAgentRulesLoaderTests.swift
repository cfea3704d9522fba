import Foundation
import FreshetTestSupport
import Shared
import Testing

@testable import Enricher

/// A bad rules file is reported as a `FreshetError` with a useful code, never a crash.
struct UserAgentRulesLoaderTests {
    static func expectError(
        _ code: FreshetError.Code, _ yaml: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try UserAgentParser(rules: UserAgentRules(yaml: yaml))
            Issue.record("no error for:\n\(yaml)", sourceLocation: sourceLocation)
        } catch let error as FreshetError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(!error.isRetriable, sourceLocation: sourceLocation)
        } catch {
            Issue.record("not a FreshetError: \(error)", sourceLocation: sourceLocation)
        }
    }

    static let valid = "user_agent_parsers: []\nos_parsers: []\ndevice_parsers: []\n"

    @Test("a minimal valid file loads")
    func minimalFile() throws {
        let rules = try UserAgentRules(yaml: Self.valid)
        #expect(rules == UserAgentRules(browsers: [], operatingSystems: [], devices: []))
    }

    @Test("not YAML")
    func notYAML() { Self.expectError(.userAgentRulesInvalid, "user_agent_parsers: [\n  - regex: 'a\n") }

    @Test("not a mapping at the top")
    func notAMapping() { Self.expectError(.userAgentRulesInvalid, "- just\n- a list\n") }

    @Test("a missing list")
    func missingList() { Self.expectError(.userAgentRulesInvalid, "user_agent_parsers: []\nos_parsers: []\n") }

    @Test("a list that is not a list")
    func listNotAList() {
        Self.expectError(.userAgentRulesInvalid, "user_agent_parsers: 3\nos_parsers: []\ndevice_parsers: []\n")
    }

    @Test("an entry without regex")
    func entryWithoutRegex() {
        Self.expectError(
            .userAgentRulesInvalid,
            "user_agent_parsers:\n  - family_replacement: x\nos_parsers: []\ndevice_parsers: []\n")
    }

    @Test("an unknown regex_flag")
    func unknownFlag() {
        Self.expectError(
            .userAgentRulesInvalid,
            "user_agent_parsers: []\nos_parsers: []\ndevice_parsers:\n  - regex: 'a'\n    regex_flag: 'x'\n")
    }

    @Test("a regex that does not compile")
    func regexDoesNotCompile() {
        Self.expectError(
            .userAgentRegexInvalid, "user_agent_parsers:\n  - regex: '(unclosed'\nos_parsers: []\ndevice_parsers: []\n")
    }

    @Test("an empty or missing file")
    func emptyAndMissingFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("uap"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("regexes.yaml")
        try Data().write(to: empty)
        #expect(throws: FreshetError.self) { try UserAgentRules.load(contentsOf: empty.path) }
        do {
            _ = try UserAgentEnrichment(configuration: .init(uri: folder.path, database: "missing.yaml"))
            Issue.record("a missing file loaded")
        } catch let error as FreshetError {
            #expect(error.code == .io)
            #expect(error.message.contains("missing.yaml"))
        }
    }

    @Test("scalars keep their text: an unquoted number stays the string written")
    func scalarsAreText() throws {
        let rules = try UserAgentRules(
            yaml: """
                user_agent_parsers: []
                os_parsers:
                  - regex: 'NetCast'
                    os_replacement: Smart TV
                    os_v1_replacement: 2013
                    os_v2_replacement: ~
                device_parsers: []
                """)
        #expect(rules.operatingSystems == [.init(regex: "NetCast", family: "Smart TV", major: "2013", minor: nil)])
    }
}
