import Foundation
import Shared
import Yams

extension UserAgentRules {
    /// Reads and parses a uap-core `regexes.yaml` file.
    ///
    /// - Throws: `FreshetError` `.io` when the file cannot be read, `.userAgentRulesInvalid` when its
    ///   content is not a valid rules document (see ``init(yaml:)``).
    public static func load(contentsOf path: String) throws -> UserAgentRules {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FreshetError(
                .io,
                "cannot read the user-agent rules file \(path): \(error.localizedDescription); "
                    + "run scripts/fetch-uap-rules.py or fix the enrichment's `database` path", underlying: error)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FreshetError(.userAgentRulesInvalid, "the user-agent rules file \(path) is not UTF-8 text")
        }
        do {
            return try UserAgentRules(yaml: text)
        } catch let error as FreshetError {
            throw FreshetError(error.code, "\(path): \(error.message)", underlying: error.underlying)
        } catch {
            throw FreshetError(.userAgentRulesInvalid, "\(path): \(error)", underlying: error)
        }
    }

    /// Parses the text of a uap-core `regexes.yaml` document.
    ///
    /// Every scalar is read as the string written in the file (so `os_v1_replacement: 2013` stays `"2013"`).
    /// All three lists must be present (an empty list is allowed); every entry needs a non-empty `regex`.
    /// - Throws: `FreshetError` `.userAgentRulesInvalid`, naming the list and the entry index.
    public init(yaml: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw FreshetError(.userAgentRulesInvalid, "not valid YAML: \(error)", underlying: error)
        }
        guard let root, case .mapping = root else {
            throw FreshetError(
                .userAgentRulesInvalid,
                "expected a mapping with user_agent_parsers, os_parsers and device_parsers at the top level")
        }
        let browsers = try Self.entries(root, "user_agent_parsers") { entry in
            Browser(
                regex: try entry.regex(), caseInsensitive: try entry.caseInsensitive(),
                family: try entry.string("family_replacement"), major: try entry.string("v1_replacement"),
                minor: try entry.string("v2_replacement"), patch: try entry.string("v3_replacement"),
                patchMinor: try entry.string("v4_replacement"))
        }
        let operatingSystems = try Self.entries(root, "os_parsers") { entry in
            OperatingSystem(
                regex: try entry.regex(), caseInsensitive: try entry.caseInsensitive(),
                family: try entry.string("os_replacement"), major: try entry.string("os_v1_replacement"),
                minor: try entry.string("os_v2_replacement"), patch: try entry.string("os_v3_replacement"),
                patchMinor: try entry.string("os_v4_replacement"))
        }
        let devices = try Self.entries(root, "device_parsers") { entry in
            Device(
                regex: try entry.regex(), caseInsensitive: try entry.caseInsensitive(),
                family: try entry.string("device_replacement"), brand: try entry.string("brand_replacement"),
                model: try entry.string("model_replacement"))
        }
        self.init(browsers: browsers, operatingSystems: operatingSystems, devices: devices)
    }

    private static func entries<Entry>(
        _ root: Node, _ list: String, _ make: (RuleEntry) throws -> Entry
    ) throws -> [Entry] {
        guard let node = root[list] else {
            throw FreshetError(.userAgentRulesInvalid, "the list `\(list)` is missing")
        }
        guard case .sequence(let sequence) = node else {
            throw FreshetError(.userAgentRulesInvalid, "`\(list)` is not a list")
        }
        return try sequence.enumerated().map { index, item in
            try make(RuleEntry(node: item, location: "\(list)[\(index)]"))
        }
    }
}

/// One mapping of a rules list, with typed accessors that report errors by location.
private struct RuleEntry {
    let node: Node
    let location: String

    func regex() throws -> String {
        guard case .mapping = node else {
            throw FreshetError(.userAgentRulesInvalid, "\(location) is not a mapping")
        }
        guard let regex = try string("regex"), !regex.isEmpty else {
            throw FreshetError(.userAgentRulesInvalid, "\(location) has no `regex`")
        }
        return regex
    }

    func caseInsensitive() throws -> Bool {
        switch try string("regex_flag") {
        case nil: return false
        case "i": return true
        case let other?:
            throw FreshetError(
                .userAgentRulesInvalid, "\(location) has regex_flag '\(other)'; only 'i' is defined by uap-core")
        }
    }

    /// The scalar under `key` exactly as written; `nil` when absent or a YAML null (`~`, `null`, nothing).
    func string(_ key: String) throws -> String? {
        guard let value = node[key] else { return nil }
        guard let scalar = value.scalar else {
            throw FreshetError(.userAgentRulesInvalid, "\(location).\(key) is not a string")
        }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        return scalar.string
    }
}
