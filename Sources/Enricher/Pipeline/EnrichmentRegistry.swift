import Foundation
import Logging
import Shared

/// Builds the ``EnrichmentPipeline`` from the enrichment configurations: the built-in steps always
/// run (collector version check, page URI, derived timestamp, referrer URL parts, page querystring,
/// cross-navigation columns, schema fields); each configured and enabled enrichment is created from its
/// parameters, looked up by its `data.name` (Snowplow's names):
///
/// | name | step | parameters |
/// |---|---|---|
/// | `referer_parser` | 8 | `database` (file in the assets directory; `.json` or `.yml`), `internalDomains` |
/// | `campaign_attribution` | 10 | `fields {mktMedium[], mktSource[], mktTerm[], mktContent[], mktCampaign[], mktClickId{param: network}}` |
/// | `event_fingerprint_config` | 12 | `excludeParameters[]`, `hashAlgorithm` (MD5, SHA1, SHA256, SHA384, SHA512) |
/// | `cookie_extractor_config` | 13 | `cookies[]` |
/// | `http_header_extractor_config` | 14 | `headersPattern` |
/// | `ip_lookups` | 18 | `geo`, `isp`, `domain`, `connectionType`, `asn`: `{database}` in the assets directory; Freshet's `verifyDatabases` (default `true`: walk each database fully before use) |
/// | `anon_ip` | 24 | `anonOctets`, `anonSegments` |
/// | `pii_enrichment_config` | 25 | `pii[]` (`pojo.field` / `json {field, schemaCriterion, jsonPath}`), `strategy.pseudonymize {hashFunction, salt}`, `anonymousOnly` |
///
/// | `ua_parser_config` | 6 | `database` (uap-core `regexes.yaml` in the assets directory), `cacheSize`, `fillAtomicFields` |
/// | `bot_detection_enrichment_config` | 20 | `useUserAgentParser` (or Snowplow's `useYauaa`), `useUserAgentPatterns`, `includeUseragents[]`, `excludeUseragents[]` (substrings), `useAsnLookups`, `botAsns[]`, `useClientSideDetection` |
///
/// Any other enabled name is refused: Freshet does not silently skip an enrichment the user asked for.
enum EnrichmentRegistry {
    /// The built-in steps every pipeline has.
    static let builtIn: [any Enrichment] = [
        CollectorVersionCheck(), PageURIEnrichment(), DerivedTimestampEnrichment(), PageQuerystringStep(),
        CrossNavigationStep(), SchemaFieldsStep(),
    ]

    /// A pipeline with the built-in steps and `configurations`; database files are looked up in
    /// `assetsDirectory`.
    static func pipeline(
        configurations: [EnrichmentConfiguration], assetsDirectory: String, logger: Logger
    ) throws -> EnrichmentPipeline {
        var steps = builtIn
        var referer: RefererStep?
        var seen: Set<String> = []
        // The IP lookups load (and verify their databases: most of the start-up) on a thread of their own
        // while the other enrichments load; their step goes in at its place afterwards.
        var ipLookups: (index: Int, identity: BadRow.EnrichmentFailures.Enrichment?, loading: BackgroundValue<IPLookupsEnrichment>)?
        for configuration in configurations where configuration.enabled {
            guard seen.insert(configuration.name).inserted else {
                throw FreshetError(.invalidConfiguration, "\(configuration.source): enrichment \(configuration.name) is configured twice")
            }
            let parameters = Parameters(configuration: configuration)
            let identity = configuration.identity
            switch configuration.name {
            case "referer_parser":
                let database = try parameters.string("database")
                let internalDomains = try parameters.strings("internalDomains") ?? []
                let path = assetPath(database, in: assetsDirectory)
                referer = RefererStep(
                    parser: try RefererEnrichment(configuration: RefererConfiguration(databasePath: path, internalDomains: internalDomains)),
                    identity: identity)
            case "campaign_attribution":
                let fields = try parameters.object("fields")
                let defaults = CampaignAttributionConfiguration()
                func list(_ key: String, _ fallback: [String]) throws -> [String] {
                    try fields.flatMap { try Parameters(object: $0, source: configuration.source).strings(key) } ?? fallback
                }
                var clickIds: [(parameter: String, network: String)] = []
                if case .object(let mapping)? = fields?["mktClickId"] {
                    for member in mapping { if let network = member.value.stringValue { clickIds.append((member.key, network)) } }
                }
                let attribution = CampaignAttributionConfiguration(
                    mediumParameters: try list("mktMedium", defaults.mediumParameters),
                    sourceParameters: try list("mktSource", defaults.sourceParameters),
                    termParameters: try list("mktTerm", defaults.termParameters),
                    contentParameters: try list("mktContent", defaults.contentParameters),
                    campaignParameters: try list("mktCampaign", defaults.campaignParameters), customClickIds: clickIds)
                steps.append(CampaignAttributionStep(attribution: CampaignAttributionEnrichment(configuration: attribution), identity: identity))
            case "event_fingerprint_config":
                let algorithmName = try parameters.optionalString("hashAlgorithm") ?? "MD5"
                guard let algorithm = EventFingerprintEnrichment.Algorithm(rawValue: algorithmName.uppercased()) else {
                    throw FreshetError(
                        .invalidConfiguration,
                        "\(configuration.source): hashAlgorithm must be one of \(EventFingerprintEnrichment.Algorithm.allCases.map(\.rawValue)); got \(algorithmName)")
                }
                steps.append(
                    EventFingerprintEnrichment(
                        excludedParameters: Set(try parameters.strings("excludeParameters") ?? ["cv", "eid", "nuid", "stm"]),
                        algorithm: algorithm, identity: identity))
            case "cookie_extractor_config":
                let cookies = try parameters.strings("cookies") ?? []
                steps.append(
                    CookieExtractorStep(extractor: CookieExtractorEnrichment(configuration: .init(cookieNames: cookies)), identity: identity))
            case "http_header_extractor_config":
                let pattern = try parameters.string("headersPattern")
                steps.append(
                    HTTPHeaderExtractorStep(
                        extractor: try HTTPHeaderExtractorEnrichment(configuration: .init(headersPattern: pattern)), identity: identity))
            case "ip_lookups":
                func file(_ key: String) throws -> IPLookupsConfiguration.DatabaseFile? {
                    guard let object = try parameters.object(key) else { return nil }
                    let nested = Parameters(object: object, source: configuration.source)
                    return IPLookupsConfiguration.DatabaseFile(database: try nested.string("database"), uri: try nested.optionalString("uri") ?? "")
                }
                let lookups = IPLookupsConfiguration(
                    geo: try file("geo"), isp: try file("isp"), domain: try file("domain"), connectionType: try file("connectionType"),
                    asn: try file("asn"), databaseDirectory: assetsDirectory,
                    verifyDatabases: parameters.value("verifyDatabases")?.boolValue ?? true)
                ipLookups = (steps.count, identity, BackgroundValue { try IPLookupsEnrichment(configuration: lookups, logger: logger) })
            case "anon_ip":
                let octets = try parameters.int("anonOctets") ?? 1
                let segments = try parameters.int("anonSegments")
                steps.append(
                    AnonymizeIPStep(
                        anonymizer: IPAnonymizationEnrichment(configuration: try IPAnonymizationConfiguration(ipv4Octets: octets, ipv6Segments: segments)),
                        identity: identity))
            case "ua_parser_config":
                let userAgent = UserAgentEnrichmentConfiguration(
                    uri: assetsDirectory, database: try parameters.optionalString("database") ?? "regexes.yaml",
                    cacheSize: try parameters.int("cacheSize") ?? 5000,
                    fillsAtomicFields: parameters.value("fillAtomicFields")?.boolValue ?? true)
                steps.append(UserAgentStep(parser: try UserAgentEnrichment(configuration: userAgent), identity: identity))
            case "bot_detection_enrichment_config":
                func patterns(_ key: String) throws -> [BotUserAgentPattern]? {
                    try parameters.strings(key)?.map(BotUserAgentPattern.substring)
                }
                var asns: Set<Int> = []
                for item in try parameters.array("botAsns") ?? [] {
                    if let number = item.numberValue?.int64Value ?? item["asn"]?.numberValue?.int64Value { asns.insert(Int(number)) }
                }
                let defaults = BotDetectionConfiguration()
                let bots = BotDetectionConfiguration(
                    useUserAgentParser: parameters.value("useUserAgentParser")?.boolValue ?? parameters.value("useYauaa")?.boolValue ?? true,
                    useUserAgentPatterns: parameters.value("useUserAgentPatterns")?.boolValue ?? true,
                    includeUseragents: try patterns("includeUseragents") ?? defaults.includeUseragents,
                    excludeUseragents: try patterns("excludeUseragents") ?? defaults.excludeUseragents,
                    useAsnLookups: parameters.value("useAsnLookups")?.boolValue ?? true, botAsns: asns,
                    useClientSideDetection: parameters.value("useClientSideDetection")?.boolValue ?? true)
                steps.append(BotDetectionStep(detector: try BotDetector(configuration: bots), identity: identity))
            case "pii_enrichment_config":
                steps.append(PIIPseudonymizationStep(pseudonymizer: try piiEnrichment(parameters), identity: identity))
            default:
                throw FreshetError(
                    .invalidConfiguration,
                    "\(configuration.source): enrichment '\(configuration.name)' is not available in Freshet; disable it (\"enabled\": false) or remove the file")
            }
            logger.info("enrichment enabled", metadata: ["component": "enrichments", "enrichment": "\(configuration.name)"])
        }
        if let ipLookups {
            steps.insert(IPLookupsStep(lookups: try ipLookups.loading.value(), identity: ipLookups.identity), at: ipLookups.index)
        }
        steps.append(referer ?? RefererStep(parser: nil, identity: nil))
        return EnrichmentPipeline(steps: steps)
    }

    /// `name` resolved against the assets directory (absolute paths are kept).
    static func assetPath(_ name: String, in directory: String) -> String {
        name.hasPrefix("/") || directory.isEmpty ? name : (directory as NSString).appendingPathComponent(name)
    }

    private static func piiEnrichment(_ parameters: Parameters) throws -> PIIPseudonymizationEnrichment {
        var scalarFields: [String] = []
        var locators: [PIIJSONLocator] = []
        for item in try parameters.array("pii") ?? [] {
            if let pojo = item["pojo"], let field = pojo["field"]?.stringValue {
                scalarFields.append(field)
            } else if let json = item["json"], let field = json["field"]?.stringValue,
                let criterion = json["schemaCriterion"]?.stringValue, let path = json["jsonPath"]?.stringValue
            {
                locators.append(try PIIJSONLocator(field: field, schemaCriterion: criterion, jsonPath: path))
            } else {
                throw FreshetError(.invalidConfiguration, "\(parameters.source): each pii entry needs pojo.field or json {field, schemaCriterion, jsonPath}")
            }
        }
        let pseudonymize = parameters.value("strategy")?["pseudonymize"]
        guard let hashFunction = pseudonymize?["hashFunction"]?.stringValue else {
            throw FreshetError(.invalidConfiguration, "\(parameters.source): strategy.pseudonymize.hashFunction is required")
        }
        let configuration = try PIIPseudonymizationConfiguration(
            scalarFields: scalarFields, jsonLocators: locators, hashFunction: hashFunction,
            salt: pseudonymize?["salt"]?.stringValue ?? "", emitEvent: parameters.value("emitEvent")?.boolValue ?? false,
            anonymousOnly: parameters.value("anonymousOnly")?.boolValue ?? false)
        return PIIPseudonymizationEnrichment(configuration: configuration)
    }
}

/// Typed reads of an enrichment's `parameters`, with errors naming the file and key.
struct Parameters {
    let object: JSONValue
    let source: String

    init(configuration: EnrichmentConfiguration) {
        self.object = configuration.parameters
        self.source = configuration.source
    }

    init(object: JSONValue, source: String) {
        self.object = object
        self.source = source
    }

    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(FreshetError) -> String {
        guard let text = try optionalString(key) else { throw FreshetError(.invalidConfiguration, "\(source): parameters.\(key) is required") }
        return text
    }

    func optionalString(_ key: String) throws(FreshetError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.stringValue else { throw FreshetError(.invalidConfiguration, "\(source): parameters.\(key) must be a string") }
        return text
    }

    func strings(_ key: String) throws(FreshetError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            throw FreshetError(.invalidConfiguration, "\(source): parameters.\(key) must be a list of strings")
        }
        return items.compactMap(\.stringValue)
    }

    func array(_ key: String) throws(FreshetError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard let items = value.arrayValue else { throw FreshetError(.invalidConfiguration, "\(source): parameters.\(key) must be a list") }
        return items
    }

    func object(_ key: String) throws(FreshetError) -> JSONValue? {
        guard let value = value(key) else { return nil }
        guard value.objectValue != nil else { throw FreshetError(.invalidConfiguration, "\(source): parameters.\(key) must be an object") }
        return value
    }

    func int(_ key: String) throws(FreshetError) -> Int? {
        guard let value = value(key) else { return nil }
        if let number = value.numberValue?.int64Value { return Int(number) }
        if let text = value.stringValue, let number = Int(text) { return number }
        throw FreshetError(.invalidConfiguration, "\(source): parameters.\(key) must be an integer")
    }
}

/// A value computed on a thread of its own while the caller goes on (start-up work that would otherwise
/// leave the second core idle).
///
/// Threading: the worker thread writes `result` once, then signals; ``value()`` waits for the signal
/// before reading it.
final class BackgroundValue<Value: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `result` is written once by the worker before `done` is signalled and read
    // only after waiting for it.
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    /// Starts `work` on a new thread.
    init(_ work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            result = Result { try work() }
            done.signal()
        }
    }

    /// The value, or the error the work threw; waits until the work is done. Call once.
    func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
