import Shared

/// Parameters of Snowplow's cookie extractor
/// (`iglu:com.snowplowanalytics.snowplow/cookie_extractor_config/jsonschema/1-0-0`).
public struct CookieExtractorConfiguration: Sendable, Equatable {
    /// `cookies`: names of the cookies to extract (exact, case-sensitive).
    public var cookieNames: [String]

    public init(cookieNames: [String]) { self.cookieNames = cookieNames }
}

/// Snowplow's cookie extractor (`CookieExtractorEnrichment`): one
/// `iglu:org.ietf/http_cookie/jsonschema/1-0-0` entity `{"name", "value"}` per matching cookie.
///
/// Headers are the collector payload's `"Name: value"` lines. A line whose name is `cookie` in any
/// case (not trimmed, as in Snowplow) is parsed like Apache's `BasicHeaderValueParser.parseParameters`:
/// `name=value` pairs separated by `;`; leading/trailing blanks are dropped and inner runs of blanks
/// become one space; a value in double quotes is unquoted (`\"` and `\\` unescaped); a `,` ends the
/// whole header (later cookies in that line are ignored); a pair without `=` has a `null` value. Every
/// match is emitted, in header order, duplicates included.
///
/// Value type; `extract` is pure and safe to call from any thread.
public struct CookieExtractorEnrichment: Sendable {
    /// The output schema.
    public static let schema = "iglu:org.ietf/http_cookie/jsonschema/1-0-0"

    public let configuration: CookieExtractorConfiguration
    private let names: Set<String>
    /// The configured names' UTF-8 bytes when every one is ASCII (then a name matches exactly when
    /// its bytes are one of these — ASCII text is equal only to the same bytes); `nil` otherwise, and
    /// names are compared as `String`s.
    private let asciiNames: [[UInt8]]?

    public init(configuration: CookieExtractorConfiguration) {
        self.configuration = configuration
        self.names = Set(configuration.cookieNames)
        let bytes = names.map { Array($0.utf8) }
        self.asciiNames = bytes.allSatisfy { $0.allSatisfy { $0 < 0x80 } } ? bytes : nil
    }

    /// The entities for `headers` (collector `headers` list).
    public func extract(headers: [String]) -> [EnrichmentEntity] {
        guard !names.isEmpty else { return [] }
        var entities: [EnrichmentEntity] = []
        for header in headers {
            var line = header
            line.withUTF8 { bytes in
                guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon == 6,
                    Self.isCookie(UnsafeBufferPointer(rebasing: bytes[..<colon]), header: header)
                else { return }
                // The value starts after the ':' character; a non-ASCII byte right after the ':' byte
                // could join it into one grapheme cluster, so then the characters decide.
                let valueStart: Int
                if colon + 1 < bytes.count, bytes[colon + 1] >= 0x80 {
                    let colonIndex = header.utf8.index(header.startIndex, offsetBy: colon)
                    valueStart = header.utf8.distance(from: header.startIndex, to: header.index(after: colonIndex))
                } else {
                    valueStart = colon + 1
                }
                Self.scanParameters(UnsafeBufferPointer(rebasing: bytes[valueStart...])) { name, value in
                    guard isConfigured(name) else { return }
                    var output: [UInt8] = []
                    output.reserveCapacity(name.count + (value?.count ?? 4) + 24)
                    output.append(contentsOf: Self.namePrefix)
                    name.withUnsafeBufferPointer { JSONValue.writeString(utf8: $0, to: &output) }
                    output.append(contentsOf: Self.valuePrefix)
                    if let value {
                        value.withUnsafeBufferPointer { JSONValue.writeString(utf8: $0, to: &output) }
                    } else {
                        output.append(contentsOf: Self.null)
                    }
                    output.append(UInt8(ascii: "}"))
                    entities.append(EnrichmentEntity(schema: Self.schema, dataJSON: String(decoding: output, as: UTF8.self)))
                }
            }
        }
        return entities
    }

    /// `true` when the cookie `name` (UTF-8 bytes of a token) is one of the configured names.
    private func isConfigured(_ name: [UInt8]) -> Bool {
        if let asciiNames, name.allSatisfy({ $0 < 0x80 }) {
            return asciiNames.contains(name)
        }
        return names.contains(String(decoding: name, as: UTF8.self))
    }

    private static let namePrefix: [UInt8] = Array("{\"name\":".utf8)
    private static let valuePrefix: [UInt8] = Array(",\"value\":".utf8)
    private static let null: [UInt8] = Array("null".utf8)

    /// `name.lowercased() == "cookie"` for the 6-byte name of `header`; ASCII bytes compared directly.
    private static func isCookie(_ name: UnsafeBufferPointer<UInt8>, header: String) -> Bool {
        var matches = true
        for (byte, expected) in zip(name, cookieBytes) {
            guard byte < 0x80 else {
                let colon = header.utf8.firstIndex(of: UInt8(ascii: ":"))!
                return header[..<colon].lowercased() == "cookie"
            }
            if byte | 0x20 != expected { matches = false }
        }
        return matches
    }

    private static let cookieBytes: [UInt8] = Array("cookie".utf8)

    /// Apache HttpCore's `BasicHeaderValueParser.parseParameters` over one header value.
    static func parameters(_ text: Substring) -> [(name: String, value: String?)] {
        var result: [(name: String, value: String?)] = []
        var text = text
        text.withUTF8 { bytes in
            scanParameters(bytes) { name, value in
                result.append((String(decoding: name, as: UTF8.self), value.map { String(decoding: $0, as: UTF8.self) }))
            }
        }
        return result
    }

    /// ``parameters(_:)`` as a scan: calls `body` with the UTF-8 bytes of each name and of its value
    /// (`nil` for a pair without `=`), in order. The arrays are scratch space, reused for the next pair.
    static func scanParameters(_ b: UnsafeBufferPointer<UInt8>, _ body: (_ name: [UInt8], _ value: [UInt8]?) -> Void) {
        var i = 0
        var name: [UInt8] = []
        var value: [UInt8] = []
        name.reserveCapacity(32)
        value.reserveCapacity(b.count)
        while i < b.count, isBlank(b[i]) { i += 1 }
        while i < b.count {
            token(b, &i, delimiters: nameDelimiters, quoted: false, into: &name)
            if i >= b.count {
                body(name, nil)
                break
            }
            let delimiter = b[i]
            i += 1
            if delimiter != UInt8(ascii: "=") {
                body(name, nil)
                if delimiter == UInt8(ascii: ",") { break }
                continue
            }
            token(b, &i, delimiters: valueDelimiters, quoted: true, into: &value)
            body(name, value)
            if i < b.count {
                let end = b[i]
                i += 1
                if end == UInt8(ascii: ",") { break }
            }
        }
    }

    /// `=`, `;`, `,` as bits of a mask over bytes below 64.
    private static let nameDelimiters: UInt64 = 1 << 0x3D | 1 << 0x3B | 1 << 0x2C
    /// `;`, `,`.
    private static let valueDelimiters: UInt64 = 1 << 0x3B | 1 << 0x2C

    @inline(__always)
    private static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    @inline(__always)
    private static func isDelimiter(_ c: UInt8, _ mask: UInt64) -> Bool { c < 64 && mask & (1 << UInt64(c)) != 0 }

    /// Apache's `TokenParser.parseToken`/`parseValue`: stops at a delimiter (not consumed), drops
    /// surrounding blanks, collapses inner blanks to one space, and (for values) unquotes `"…"`. The
    /// token replaces the contents of `out`.
    private static func token(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, delimiters: UInt64, quoted: Bool, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var pendingSpace = false
        while i < b.count {
            let c = b[i]
            if isDelimiter(c, delimiters) { break }
            if isBlank(c) {
                while i < b.count, isBlank(b[i]) { i += 1 }
                pendingSpace = true
                continue
            }
            if pendingSpace && !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            if quoted && c == UInt8(ascii: "\"") {
                i += 1
                var escaped = false
                while i < b.count {
                    let q = b[i]
                    if escaped {
                        if q != UInt8(ascii: "\"") && q != UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                        out.append(q)
                        escaped = false
                    } else if q == UInt8(ascii: "\"") {
                        i += 1
                        break
                    } else if q == UInt8(ascii: "\\") {
                        escaped = true
                    } else if q != 0x0D && q != 0x0A {
                        out.append(q)
                    }
                    i += 1
                }
                continue
            }
            // A run of plain bytes, copied at once.
            let start = i
            while i < b.count, !isDelimiter(b[i], delimiters), !isBlank(b[i]), !(quoted && b[i] == UInt8(ascii: "\"")) {
                i += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
        }
    }
}
