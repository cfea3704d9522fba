/// The checks enrich's `ThriftLoader` makes on a decoded payload before any adapter sees it
/// (reference §3.1 step 2): the schema, the path and the network user id.
///
/// The querystring check (it must parse with the payload's encoding) belongs to querystring parsing and
/// is not made here.
extension CollectorPayload {
    /// The tracking API a payload was sent to, from its path: `/com.snowplowanalytics.snowplow/tp2` →
    /// vendor `com.snowplowanalytics.snowplow`, version `tp2`. Enrich picks the adapter by this pair.
    public struct API: Sendable, Hashable {
        /// The first path segment, e.g. `com.snowplowanalytics.snowplow`.
        public var vendor: String
        /// The second path segment, e.g. `tp2`.
        public var version: String

        public init(vendor: String, version: String) {
            self.vendor = vendor
            self.version = version
        }

        /// The legacy pixel endpoints `/i` and `/ice.png` (tracker protocol 1).
        public static let trackerProtocol1 = API(vendor: "com.snowplowanalytics.snowplow", version: "tp1")

        /// Parses a request path as enrich's `CollectorPayload.parseApi` does: `^/?([^/]+)/([^/]+)/?$`, or
        /// else a legacy pixel request (`/i`, `/i?…`, `/ice.png…`) → ``trackerProtocol1``; else `nil`.
        public init?(path: String) {
            var utf8 = Substring(path).utf8
            let slash = UInt8(ascii: "/")
            if utf8.first == slash { utf8 = utf8.dropFirst() }
            if utf8.last == slash { utf8 = utf8.dropLast() }
            if let separator = utf8.firstIndex(of: slash), separator != utf8.startIndex,
                utf8.index(after: separator) != utf8.endIndex,
                !utf8[utf8.index(after: separator)...].contains(slash)
            {
                self.init(
                    vendor: String(Substring(utf8[..<separator])),
                    version: String(Substring(utf8[utf8.index(after: separator)...])))
            } else if path == "/i" || path.hasPrefix("/i?") || path.hasPrefix("/ice.png") {
                self = .trackerProtocol1
            } else {
                return nil
            }
        }
    }

    /// Whether `schema` is an Iglu URI enrich accepts for a collector payload:
    /// `iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-<addition>` where the addition
    /// is `0` or a number without leading zeros (SchemaVer), small enough for a 32-bit integer.
    public static func isAcceptedSchema(_ schema: String) -> Bool {
        let prefix = "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-"
        guard schema.hasPrefix(prefix) else { return false }
        let addition = schema.utf8.dropFirst(prefix.utf8.count)
        guard let first = addition.first, addition.count <= 10,
            addition.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            first != UInt8(ascii: "0") || addition.count == 1,
            let number = Int(Substring(addition))
        else { return false }
        return number <= Int(Int32.max)
    }

    /// Whether `value` is a network user id enrich accepts: what Java's `UUID.fromString` (JDK 9+)
    /// parses. That is more than the canonical 8-4-4-4-12 form: five dash-separated groups of hex
    /// digits of any non-zero length (each optionally signed, each fitting a signed 64-bit integer),
    /// at most 36 characters in total. Unlike Java, only ASCII digits are accepted (Java's
    /// `Character.digit` also takes e.g. full-width digits).
    public static func isAcceptedNetworkUserId(_ value: String) -> Bool {
        guard value.utf8.count <= 36 else { return false }
        var value = value
        return value.withUTF8 { bytes in
            var groups = 0
            var groupStart = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "-") {
                groups += 1
                // Java: the fifth group runs to the end, so a sixth dash makes the string invalid.
                if groups > 5 || !isJavaHexLong(UnsafeBufferPointer(rebasing: bytes[groupStart..<index])) { return false }
                groupStart = index + 1
            }
            return groups == 5
        }
    }

    /// `Long.parseLong(group, 16)` succeeds: optional sign, at least one hex digit, within Int64.
    private static func isJavaHexLong(_ group: UnsafeBufferPointer<UInt8>) -> Bool {
        var digits = group[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return false }
        var magnitude: UInt64 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return false
            }
            guard magnitude <= (UInt64.max - UInt64(digit)) / 16 else { return false }
            magnitude = magnitude * 16 + UInt64(digit)
        }
        return magnitude <= (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max))
    }

    /// Makes enrich's format checks and returns the payload's API, or every violation found, in enrich's
    /// order (path, network user id, schema). Each violation becomes one
    /// `collector_payload_format_violation` bad row.
    public func checkFormat() -> Result<API, CollectorPayloadFormatViolations> {
        var violations = [CollectorPayloadFormatViolation]()
        var api: API?
        if let path {
            api = API(path: path)
            if api == nil { violations.append(.invalidPath(path)) }
        } else {
            violations.append(.missingPath)
        }
        if let networkUserId, !Self.isAcceptedNetworkUserId(networkUserId) {
            violations.append(.invalidNetworkUserId(networkUserId))
        }
        if !Self.isAcceptedSchema(schema) {
            violations.append(.unexpectedSchema(schema))
        }
        if let api, violations.isEmpty { return .success(api) }
        return .failure(CollectorPayloadFormatViolations(violations))
    }
}

/// One or more format violations of a collector payload (the failure of
/// ``CollectorPayload/checkFormat()``). Never empty.
public struct CollectorPayloadFormatViolations: Error, Sendable, Hashable {
    /// The violations, in the order enrich reports them.
    public var violations: [CollectorPayloadFormatViolation]

    public init(_ violations: [CollectorPayloadFormatViolation]) {
        self.violations = violations
    }
}
