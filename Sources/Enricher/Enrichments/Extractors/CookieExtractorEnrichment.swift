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

    public init(configuration: CookieExtractorConfiguration) {
        self.configuration = configuration
        self.names = Set(configuration.cookieNames)
    }

    /// The entities for `headers` (collector `headers` list).
    public func extract(headers: [String]) -> [EnrichmentEntity] {
        guard !names.isEmpty else { return [] }
        var entities: [EnrichmentEntity] = []
        for header in headers {
            guard let colon = header.utf8.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = header[..<colon]
            guard name.utf8.count == 6, Self.isCookie(name) else { continue }
            var value = header[header.index(after: colon)...]
            value.withUTF8 { bytes in
                Self.scanParameters(bytes) { name, value in
                    guard names.contains(name) else { return }
                    var output: [UInt8] = []
                    output.reserveCapacity(name.utf8.count + (value?.count ?? 4) + 24)
                    output.append(contentsOf: Self.namePrefix)
                    JSONValue.writeString(name, to: &output)
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

    private static let namePrefix: [UInt8] = Array("{\"name\":".utf8)
    private static let valuePrefix: [UInt8] = Array(",\"value\":".utf8)
    private static let null: [UInt8] = Array("null".utf8)

    /// `name.lowercased() == "cookie"` for a 6-byte name; ASCII bytes compared directly.
    private static func isCookie(_ name: Substring) -> Bool {
        var matches = true
        for (byte, expected) in zip(name.utf8, "cookie".utf8) {
            guard byte < 0x80 else { return name.lowercased() == "cookie" }
            if byte | 0x20 != expected { matches = false }
        }
        return matches
    }

    /// Apache HttpCore's `BasicHeaderValueParser.parseParameters` over one header value.
    static func parameters(_ text: Substring) -> [(name: String, value: String?)] {
        var result: [(name: String, value: String?)] = []
        var text = text
        text.withUTF8 { bytes in
            scanParameters(bytes) { name, value in result.append((name, value.map { String(decoding: $0, as: UTF8.self) })) }
        }
        return result
    }

    /// ``parameters(_:)`` as a scan: calls `body` with each name and the UTF-8 bytes of its value
    /// (`nil` for a pair without `=`), in order. The value bytes are only valid during the call.
    static func scanParameters(_ b: UnsafeBufferPointer<UInt8>, _ body: (_ name: String, _ value: [UInt8]?) -> Void) {
        var i = 0
        var scratch: [UInt8] = []
        scratch.reserveCapacity(b.count)
        while i < b.count, isBlank(b[i]) { i += 1 }
        while i < b.count {
            token(b, &i, delimiters: nameDelimiters, quoted: false, into: &scratch)
            let name = String(decoding: scratch, as: UTF8.self)
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
            token(b, &i, delimiters: valueDelimiters, quoted: true, into: &scratch)
            body(name, scratch)
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
            while i < b.count, !isDelimiter(b[i], delimiters), !isBlank(b[i]), !(quoted && b[i] == UInt8(ascii: "\"")) {
                out.append(b[i])
                i += 1
            }
        }
    }
}
