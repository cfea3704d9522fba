/// A full Iglu schema version `MODEL-REVISION-ADDITION` (SchemaVer), e.g. `1-0-4`.
public struct SchemaVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Breaking-change number, ≥ 1.
    public let model: Int
    /// Change that may break some historical data.
    public let revision: Int
    /// Change compatible with all historical data.
    public let addition: Int

    /// A version; `nil` unless `model ≥ 1` and the others ≥ 0.
    public init?(model: Int, revision: Int, addition: Int) {
        guard model >= 1, revision >= 0, addition >= 0 else { return nil }
        self.model = model
        self.revision = revision
        self.addition = addition
    }

    /// Parses `M-R-A` as iglu-core does: `[1-9][0-9]*-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)`.
    public init?(_ text: Substring) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let model = SchemaVersion.number(parts[0]), let revision = SchemaVersion.number(parts[1]),
            let addition = SchemaVersion.number(parts[2])
        else { return nil }
        self.init(model: model, revision: revision, addition: addition)
    }

    /// `M-R-A`.
    public var description: String { "\(model)-\(revision)-\(addition)" }

    public static func < (lhs: SchemaVersion, rhs: SchemaVersion) -> Bool {
        (lhs.model, lhs.revision, lhs.addition) < (rhs.model, rhs.revision, rhs.addition)
    }

    /// A decimal number without leading zeros (and short enough not to overflow).
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard text == "0" || text.utf8.first != 0x30 else { return nil }
        return Int(text)
    }
}

/// An Iglu schema key: `iglu:<vendor>/<name>/<format>/<version>`, e.g.
/// `iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1`.
///
/// Parsing follows iglu-core (`SchemaKey.fromUri`): vendor `[a-zA-Z0-9-_.]+`, name and format
/// `[a-zA-Z0-9-_]+`, version per ``SchemaVersion``. Pure value, thread-safe.
public struct SchemaKey: Sendable, Hashable, CustomStringConvertible {
    /// Reverse-domain vendor, e.g. `com.snowplowanalytics.snowplow`.
    public let vendor: String
    /// Schema name, e.g. `page_view`.
    public let name: String
    /// Schema format, almost always `jsonschema`.
    public let format: String
    /// The version.
    public let version: SchemaVersion

    /// A key from validated parts; `nil` if a part has characters outside the Iglu pattern.
    public init?(vendor: String, name: String, format: String, version: SchemaVersion) {
        guard SchemaKey.isValidPart(vendor, allowDot: true), SchemaKey.isValidPart(name, allowDot: false),
            SchemaKey.isValidPart(format, allowDot: false)
        else { return nil }
        self.vendor = vendor
        self.name = name
        self.format = format
        self.version = version
    }

    /// Parses an `iglu:` URI; `nil` if it does not match the Iglu pattern.
    public init?(uri: String) {
        guard uri.hasPrefix("iglu:") else { return nil }
        let path = uri.dropFirst(5)
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, let version = SchemaVersion(parts[3]) else { return nil }
        self.init(vendor: String(parts[0]), name: String(parts[1]), format: String(parts[2]), version: version)
    }

    /// The `iglu:` URI.
    public var uri: String { "iglu:\(vendor)/\(name)/\(format)/\(version)" }

    /// The `iglu:` URI.
    public var description: String { uri }

    private static func isValidPart(_ part: String, allowDot: Bool) -> Bool {
        guard !part.isEmpty else { return false }
        return part.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            case UInt8(ascii: "."): return allowDot
            default: return false
            }
        }
    }
}

/// A pattern over schema keys such as `iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-*`
/// (iglu-core `SchemaCriterion`): vendor, name, format and model must match; revision and addition
/// match when given, anything when `nil`.
public struct SchemaCriterion: Sendable, Hashable, CustomStringConvertible {
    /// Required vendor.
    public let vendor: String
    /// Required name.
    public let name: String
    /// Required format.
    public let format: String
    /// Required model.
    public let model: Int
    /// Required revision, or `nil` for any.
    public let revision: Int?
    /// Required addition, or `nil` for any.
    public let addition: Int?

    /// A criterion.
    public init(vendor: String, name: String, format: String = "jsonschema", model: Int, revision: Int? = nil, addition: Int? = nil) {
        self.vendor = vendor
        self.name = name
        self.format = format
        self.model = model
        self.revision = revision
        self.addition = addition
    }

    /// `true` if `key` satisfies the criterion.
    public func matches(_ key: SchemaKey) -> Bool {
        key.vendor == vendor && key.name == name && key.format == format && key.version.model == model
            && (revision.map { $0 == key.version.revision } ?? true)
            && (addition.map { $0 == key.version.addition } ?? true)
    }

    /// E.g. `iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-*`.
    public var description: String {
        "iglu:\(vendor)/\(name)/\(format)/\(model)-\(revision.map(String.init) ?? "*")-\(addition.map(String.init) ?? "*")"
    }

    /// `iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-*` (tp2 POST bodies).
    public static let payloadData = SchemaCriterion(vendor: "com.snowplowanalytics.snowplow", name: "payload_data", model: 1, revision: 0)
    /// `iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-*` (`co`/`cx`).
    public static let contexts = SchemaCriterion(vendor: "com.snowplowanalytics.snowplow", name: "contexts", model: 1, revision: 0)
    /// `iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-*` (`ue_pr`/`ue_px`).
    public static let unstructEvent = SchemaCriterion(vendor: "com.snowplowanalytics.snowplow", name: "unstruct_event", model: 1, revision: 0)
}
