import Foundation
import Shared
import Yams

/// The Snowplow referer database (`referers.yml` / `referers.json` of snowplow-referer-parser):
/// `medium → source name → {domains: [...], parameters: [...]}`, indexed by domain.
///
/// A domain entry may carry a path (`google.com/imgres`). Unknown keys inside a source are ignored
/// (the PyPI copy has one), a missing `parameters` or `null` means none; an unknown medium, a source
/// without `domains`, or text that is not JSON/YAML is a `referer.database_invalid` error. When a domain
/// is listed twice, the first occurrence in the file wins (Snowplow's choice depends on Scala map
/// iteration order; the shipped databases have no duplicates).
///
/// Immutable value; safe to share between threads. Load it once at start-up.
public struct RefererDatabase: Sendable {
    /// Entries by domain (or domain + path).
    public let entries: [String: RefererSource]

    /// Builds a database from `medium → source → (domains, parameters)` definitions, e.g. the custom
    /// `referrers` map of the enrichment configuration.
    public init(entries: [String: RefererSource]) {
        self.entries = entries
    }

    /// Loads `referers.json` or `referers.yml` (chosen by extension: `.yml`/`.yaml` is YAML, anything
    /// else JSON).
    public static func load(contentsOf path: String) throws(FreshetError) -> RefererDatabase {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FreshetError(
                .refererDatabaseInvalid,
                "cannot read the referer database \(path); run scripts/fetch-referers.py to download it",
                underlying: error
            )
        }
        let text = String(decoding: data, as: UTF8.self)
        do throws(FreshetError) {
            if path.hasSuffix(".yml") || path.hasSuffix(".yaml") { return try RefererDatabase(yaml: text) }
            return try RefererDatabase(json: text)
        } catch {
            throw FreshetError(error.code, "\(path): \(error.message)", underlying: error.underlying)
        }
    }

    /// Parses the JSON form.
    public init(json text: String) throws(FreshetError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: text)
        } catch {
            throw FreshetError(.refererDatabaseInvalid, "referer database is not valid JSON: \(error)")
        }
        guard case .object(let mediums) = document else {
            throw FreshetError(.refererDatabaseInvalid, "referer database must be a JSON object of mediums")
        }
        var builder = Builder()
        for medium in mediums {
            let parsedMedium = try Builder.medium(medium.key)
            guard case .object(let sources) = medium.value else {
                throw FreshetError(.refererDatabaseInvalid, "medium '\(medium.key)' is not an object")
            }
            for source in sources {
                let domains = source.value["domains"]
                guard case .array(let domainValues)? = domains else {
                    throw FreshetError(.refererDatabaseInvalid, "source '\(source.key)' (medium '\(medium.key)') has no domains list")
                }
                var parameters: [String] = []
                switch source.value["parameters"] {
                case .array(let values)?: parameters = values.compactMap(\.stringValue)
                case .null?, nil: break
                default:
                    throw FreshetError(.refererDatabaseInvalid, "source '\(source.key)': parameters must be a list")
                }
                builder.add(
                    RefererSource(medium: parsedMedium, name: source.key, parameters: parameters),
                    domains: domainValues.compactMap(\.stringValue)
                )
            }
        }
        self.entries = builder.entries
    }

    /// Parses the YAML form (`referers.yml`). Scalars are read as plain text (no YAML type coercion).
    public init(yaml text: String) throws(FreshetError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw FreshetError(.refererDatabaseInvalid, "referer database is not valid YAML: \(error)", underlying: error)
        }
        guard let mediums = root?.mapping else {
            throw FreshetError(.refererDatabaseInvalid, "referer database must be a YAML mapping of mediums")
        }
        var builder = Builder()
        for (mediumKey, mediumValue) in mediums {
            let mediumName = mediumKey.scalar?.string ?? ""
            let parsedMedium = try Builder.medium(mediumName)
            guard let sources = mediumValue.mapping else {
                throw FreshetError(.refererDatabaseInvalid, "medium '\(mediumName)' is not a mapping")
            }
            for (sourceKey, sourceValue) in sources {
                let sourceName = sourceKey.scalar?.string ?? ""
                guard let entry = sourceValue.mapping, let domains = entry["domains"]?.sequence else {
                    throw FreshetError(.refererDatabaseInvalid, "source '\(sourceName)' (medium '\(mediumName)') has no domains list")
                }
                var parameters: [String] = []
                if let parameterNode = entry["parameters"], parameterNode.null == nil {
                    guard let sequence = parameterNode.sequence else {
                        throw FreshetError(.refererDatabaseInvalid, "source '\(sourceName)': parameters must be a list")
                    }
                    parameters = sequence.compactMap { $0.scalar?.string }
                }
                builder.add(
                    RefererSource(medium: parsedMedium, name: sourceName, parameters: parameters),
                    domains: domains.compactMap { $0.scalar?.string }
                )
            }
        }
        self.entries = builder.entries
    }

    private struct Builder {
        var entries: [String: RefererSource] = [:]

        mutating func add(_ source: RefererSource, domains: [String]) {
            for domain in domains where entries[domain] == nil { entries[domain] = source }
        }

        static func medium(_ name: String) throws(FreshetError) -> RefererMedium {
            guard let medium = RefererMedium(rawValue: name) else {
                throw FreshetError(.refererDatabaseInvalid, "unrecognized medium: '\(name)'")
            }
            return medium
        }
    }
}
