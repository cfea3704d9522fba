import Shared

/// The metadata section of a MaxMind DB file (format specification, "Database Metadata").
public struct MaxMindMetadata: Sendable, Equatable {
    /// Number of nodes in the search tree.
    public var nodeCount: Int
    /// Bits per search-tree record: 24, 28 or 32.
    public var recordSize: Int
    /// 4 or 6.
    public var ipVersion: Int
    /// What the records describe, e.g. `GeoLite2-City`, `GeoLite2-ASN`, `GeoIP2-ISP`.
    public var databaseType: String
    /// Locale codes the records may carry names in (optional key; empty when absent).
    public var languages: [String]
    /// Format version; only major version 2 is readable.
    public var binaryFormatMajorVersion: Int
    /// Format minor version.
    public var binaryFormatMinorVersion: Int
    /// Build time, seconds since the Unix epoch.
    public var buildEpoch: UInt64
    /// Descriptions by language code (optional key; empty when absent).
    public var description: [String: String]

    /// Reads the metadata map, checking every required key's presence and type.
    init(_ value: MaxMindValue, source: String) throws {
        func invalid(_ what: String) -> FreshetError {
            FreshetError(.geoipInvalidDatabase, "MaxMind DB \(source) has invalid metadata: \(what); replace the file")
        }
        guard case .map(let entries) = value else {
            throw invalid("the metadata section does not start with a map")
        }
        func unsigned(_ key: String) throws -> UInt64 {
            guard let entry = entries[key] else { throw invalid("required key '\(key)' is missing") }
            guard let number = entry.unsignedValue else { throw invalid("key '\(key)' is not an unsigned integer") }
            return number
        }
        let nodeCount = try unsigned("node_count")
        let recordSize = try unsigned("record_size")
        let ipVersion = try unsigned("ip_version")
        let major = try unsigned("binary_format_major_version")
        let minor = try unsigned("binary_format_minor_version")
        let buildEpoch = try unsigned("build_epoch")
        guard let databaseType = entries["database_type"]?.stringValue else {
            throw invalid("required key 'database_type' is missing or not a string")
        }
        guard nodeCount > 0, nodeCount <= UInt64(UInt32.max) else {
            throw invalid("node_count \(nodeCount) is not between 1 and 2^32-1")
        }
        guard major == 2 else {
            throw invalid("binary_format_major_version is \(major); this reader reads version 2")
        }
        guard recordSize == 24 || recordSize == 28 || recordSize == 32 else {
            throw invalid("record_size is \(recordSize); supported sizes are 24, 28 and 32 bits")
        }
        guard ipVersion == 4 || ipVersion == 6 else {
            throw invalid("ip_version is \(ipVersion); must be 4 or 6")
        }
        var languages: [String] = []
        if let entry = entries["languages"] {
            guard case .array(let items) = entry else { throw invalid("key 'languages' is not an array") }
            for item in items {
                guard let language = item.stringValue else { throw invalid("key 'languages' holds a non-string") }
                languages.append(language)
            }
        }
        var description: [String: String] = [:]
        if let entry = entries["description"] {
            guard case .map(let items) = entry else { throw invalid("key 'description' is not a map") }
            for (language, text) in items {
                guard let text = text.stringValue else { throw invalid("description '\(language)' is not a string") }
                description[language] = text
            }
        }
        self.nodeCount = Int(nodeCount)
        self.recordSize = Int(recordSize)
        self.ipVersion = Int(ipVersion)
        self.databaseType = databaseType
        self.languages = languages
        self.binaryFormatMajorVersion = Int(major)
        self.binaryFormatMinorVersion = Int(minor)
        self.buildEpoch = buildEpoch
        self.description = description
    }
}
