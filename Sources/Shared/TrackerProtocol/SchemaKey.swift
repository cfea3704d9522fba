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

    /// Parses `M-R-A` from UTF-8 bytes, exactly as ``init(_:)``.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        var numbers: (Int, Int, Int) = (0, 0, 0)
        var part = 0
        var digits = 0
        var leadingZero = false
        var value = 0
        for byte in bytes {
            if byte == UInt8(ascii: "-") {
                guard digits > 0, part < 2 else { return nil }
                if part == 0 { numbers.0 = value } else { numbers.1 = value }
                part += 1
                digits = 0
                value = 0
                leadingZero = false
                continue
            }
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            // No leading zeros ("0" alone is fine), at most 9 digits.
            if leadingZero { return nil }
            if digits == 0 && byte == 0x30 { leadingZero = true }
            digits += 1
            guard digits <= 9 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        guard part == 2, digits > 0 else { return nil }
        numbers.2 = value
        self.init(model: numbers.0, revision: numbers.1, addition: numbers.2)
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

    /// The `iglu:` URI, built once (``init(uri:)`` keeps the text it parsed: a valid URI is already
    /// canonical, so it equals the formatted one).
    public let uri: String

    /// A key from validated parts; `nil` if a part has characters outside the Iglu pattern.
    public init?(vendor: String, name: String, format: String, version: SchemaVersion) {
        guard SchemaKey.isValidPart(vendor, allowDot: true), SchemaKey.isValidPart(name, allowDot: false),
            SchemaKey.isValidPart(format, allowDot: false)
        else { return nil }
        self.vendor = vendor
        self.name = name
        self.format = format
        self.version = version
        self.uri = "iglu:\(vendor)/\(name)/\(format)/\(version)"
    }

    /// Parses an `iglu:` URI; `nil` if it does not match the Iglu pattern.
    ///
    /// One pass over the UTF-8 bytes (this runs for every self-describing JSON of every event): the
    /// parts are split on `/`, checked against the Iglu character classes and the version parsed as
    /// ``SchemaVersion/init(_:)`` does.
    public init?(uri: String) {
        var text = uri
        let parsed: (vendor: String, name: String, format: String, version: SchemaVersion)? = text.withUTF8 { bytes in
            let prefix: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0x69, 0x67, 0x6C, 0x75, 0x3A)  // "iglu:"
            guard bytes.count > 5, bytes[0] == prefix.0, bytes[1] == prefix.1, bytes[2] == prefix.2, bytes[3] == prefix.3,
                bytes[4] == prefix.4
            else { return nil }
            // Ends of vendor, name and format (positions of their '/').
            var slashes: (Int, Int, Int) = (0, 0, 0)
            var found = 0
            var position = 5
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "/") {
                    switch found {
                    case 0: slashes.0 = position
                    case 1: slashes.1 = position
                    case 2: slashes.2 = position
                    default: return nil  // a fifth part
                    }
                    found += 1
                } else if found < 3 {
                    guard SchemaKey.isPartByte(byte, allowDot: found == 0) else { return nil }
                }
                position += 1
            }
            guard found == 3, slashes.0 > 5, slashes.1 > slashes.0 + 1, slashes.2 > slashes.1 + 1,
                let version = SchemaVersion(utf8: UnsafeBufferPointer(rebasing: bytes[(slashes.2 + 1)...]))
            else { return nil }
            func part(_ start: Int, _ end: Int) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            }
            return (part(5, slashes.0), part(slashes.0 + 1, slashes.1), part(slashes.1 + 1, slashes.2), version)
        }
        guard let parsed else { return nil }
        self.vendor = parsed.vendor
        self.name = parsed.name
        self.format = parsed.format
        self.version = parsed.version
        self.uri = uri
    }

    /// The `iglu:` URI.
    public var description: String { uri }

    @inline(__always)
    private static func isPartByte(_ byte: UInt8, allowDot: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        case UInt8(ascii: "."): return allowDot
        default: return false
        }
    }

    private static func isValidPart(_ part: String, allowDot: Bool) -> Bool {
        !part.isEmpty && part.utf8.allSatisfy { isPartByte($0, allowDot: allowDot) }
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
