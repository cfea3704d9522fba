import Shared

/// The referer fields Snowplow fills: `refr_medium`, `refr_source`, `refr_term`.
public struct RefererFields: Sendable, Equatable {
    /// `refr_medium`.
    public var medium: RefererMedium
    /// `refr_source`: the source name for known external referers; `nil` for `internal` and `unknown`
    /// (also for database entries of the `unknown` medium — Snowplow drops their source).
    public var source: String?
    /// `refr_term`: the search term, only for `search`; tabs become four spaces, control characters are
    /// removed, an empty term is `nil`.
    public var term: String?

    /// The enriched-event columns with their values.
    public var columns: [(column: String, value: String?)] {
        [("refr_medium", medium.rawValue), ("refr_source", source), ("refr_term", term)]
    }
}

/// Snowplow's referer enrichment (scala-referer-parser `Parser.parse` + enrich `RefererParserEnrichment`).
///
/// Lookup order, exactly as referer-parser: for each path candidate — the full decoded path, then
/// `/` + its first non-empty segment, then no path — try each host candidate — the full host, then each
/// parent domain (`www.google.co.uk`, `google.co.uk`, `co.uk`, `uk`) — and take the first database
/// entry found; custom referers are searched completely before the database. Before any lookup, a
/// referer whose host equals the page host or one of `internalDomains` is `internal`; an external host
/// with no entry is `unknown`. Only `http`, `https` and `android-app` referers with a host are
/// classified; others give no fields. The search term is the value of the first query pair (in query
/// order, `&`-separated, `+` = space) whose name is one of the source's parameters.
///
/// Value type holding the immutable database; `classify` is pure and safe to call from any thread.
public struct RefererEnrichment: Sendable {
    public let configuration: RefererConfiguration
    public let database: RefererDatabase
    private let internalDomains: Set<String>
    /// For the custom table and the database: the hosts of the entries that carry a path (the part of
    /// the key before its first `/`). A host + `/`-path key can only exist for these hosts, so the
    /// other hosts skip those lookups.
    private let customPathHosts: Set<String>
    private let databasePathHosts: Set<String>

    /// Loads the database named in `configuration`; a bad file is a `referer.database_invalid` error.
    public init(configuration: RefererConfiguration) throws(FreshetError) {
        try self.init(configuration: configuration, database: RefererDatabase.load(contentsOf: configuration.databasePath))
    }

    /// Uses an already loaded database.
    public init(configuration: RefererConfiguration, database: RefererDatabase) {
        self.configuration = configuration
        self.database = database
        self.internalDomains = Set(configuration.internalDomains.map { $0.trimmingSpaces() })
        self.customPathHosts = Self.pathHosts(configuration.customReferers?.entries ?? [:])
        self.databasePathHosts = Self.pathHosts(database.entries)
    }

    private static func pathHosts(_ entries: [String: RefererSource]) -> Set<String> {
        var hosts: Set<String> = []
        for key in entries.keys {
            if let slash = key.firstIndex(of: "/") { hosts.insert(String(key[..<slash])) }
        }
        return hosts
    }

    /// Classifies a parsed `page_referrer`; `pageHost` is `page_urlhost`. `nil` when Snowplow leaves the
    /// three fields empty (scheme not http/https/android-app, or no host).
    public func classify(referer: URLParts, pageHost: String?) -> RefererFields? {
        guard let scheme = referer.scheme, scheme == "http" || scheme == "https" || scheme == "android-app",
            let host = referer.host, let path = referer.decodedPath
        else { return nil }
        if host == pageHost || internalDomains.contains(host) {
            return RefererFields(medium: .internal)
        }
        guard let entry = lookup(host: host, path: path) else { return RefererFields(medium: .unknown) }
        switch entry.medium {
        case .unknown: return RefererFields(medium: .unknown)
        case .internal: return RefererFields(medium: .internal)
        case .search:
            let term = referer.query.flatMap { searchTerm(query: $0, parameters: entry.parameters) }
            return RefererFields(medium: .search, source: entry.name, term: term.flatMap(TSVSafety.fixTabsNewlines))
        default:
            return RefererFields(medium: entry.medium, source: entry.name)
        }
    }

    /// Parses `refererURL` and classifies it (convenience for callers holding the raw column).
    public func classify(refererURL: String, pageHost: String?) -> Result<RefererFields?, URLParseFailure> {
        URLParser.parse(refererURL).map { classify(referer: $0, pageHost: pageHost) }
    }

    private func lookup(host: String, path: String) -> RefererSource? {
        let hosts = Self.hostCandidates(host)
        let paths = Self.pathCandidates(path)
        let hostHasSlash = host.utf8.contains(UInt8(ascii: "/"))
        func search(_ table: [String: RefererSource], pathHosts: Set<String>) -> RefererSource? {
            guard !table.isEmpty else { return nil }
            for path in paths {
                // A key host + "/…" exists only for a host in `pathHosts` (when the host has no "/").
                let needsPathHost = !hostHasSlash && path.utf8.first == UInt8(ascii: "/")
                for host in hosts {
                    if needsPathHost && !pathHosts.contains(host) { continue }
                    if let entry = table[path.isEmpty ? host : host + path] { return entry }
                }
            }
            return nil
        }
        if let custom = configuration.customReferers?.entries, let entry = search(custom, pathHosts: customPathHosts) { return entry }
        return search(database.entries, pathHosts: databasePathHosts)
    }

    /// `www.google.com` → `www.google.com`, `google.com`, `com` (Java split semantics on dots).
    static func hostCandidates(_ host: String) -> [String] {
        guard ASCII.isASCII(host) else {
            var labels = host.split(separator: ".", omittingEmptySubsequences: false)
            while let last = labels.last, last.isEmpty, labels.count > 0 { labels.removeLast() }
            return labels.indices.map { labels[$0...].joined(separator: ".") }
        }
        // ASCII: the suffixes after each dot, once trailing dots (empty trailing labels) are dropped.
        var host = host
        return host.withUTF8 { bytes in
            var end = bytes.count
            while end > 0, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            guard end > 0 else { return [] }
            var candidates: [String] = []
            candidates.reserveCapacity(1 + bytes[..<end].reduce(0) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) })
            var start = 0
            while true {
                candidates.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                var dot = start
                while dot < end, bytes[dot] != UInt8(ascii: ".") { dot += 1 }
                guard dot < end else { break }
                start = dot + 1
            }
            return candidates
        }
    }

    /// Full path, `/` + first non-empty segment, and no path.
    static func pathCandidates(_ path: String) -> [String] {
        let utf8 = path.utf8
        guard ASCII.isASCII(path) else {
            guard let first = path.split(separator: "/").first(where: { !$0.isEmpty }) else { return [""] }
            return [path, "/" + first, ""]
        }
        // ASCII: the first run of non-'/' bytes.
        guard let start = utf8.firstIndex(where: { $0 != UInt8(ascii: "/") }) else { return [""] }
        let end = utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? utf8.endIndex
        return [path, "/" + path[start..<end], ""]
    }

    private func searchTerm(query: String, parameters: [String]) -> String? {
        guard !parameters.isEmpty else { return nil }
        var text = query
        let ascii = text.withUTF8 { bytes -> String?? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            // ASCII: the same pairs, split on the bytes.
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "&") { end += 1 }
                var equals = start
                while equals < end, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
                let name: UnsafeBufferPointer<UInt8>
                let value: UnsafeBufferPointer<UInt8>
                if equals < end, equals > start {
                    name = UnsafeBufferPointer(rebasing: bytes[start..<equals])
                    value = UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end])
                } else {
                    name = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    value = UnsafeBufferPointer(rebasing: bytes[end..<end])
                }
                if parameters.contains(PercentDecoding.decode(name[...], plusAsSpace: true)) {
                    return .some(PercentDecoding.decode(value[...], plusAsSpace: true))
                }
                start = end + 1
            }
            return .some(nil)
        }
        if let ascii { return ascii }
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            let (name, value): (Substring, Substring)
            if let equals = pair.firstIndex(of: "="), equals > pair.startIndex {
                name = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            if parameters.contains(PercentDecoding.decode(name, plusAsSpace: true)) {
                return PercentDecoding.decode(value, plusAsSpace: true)
            }
        }
        return nil
    }
}

extension RefererFields {
    init(medium: RefererMedium) {
        self.init(medium: medium, source: nil, term: nil)
    }
}
