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
            guard name.utf8.count == 6, name.lowercased() == "cookie" else { continue }
            for pair in Self.parameters(header[header.index(after: colon)...]) where names.contains(pair.name) {
                let value = pair.value.map(JSONValue.quoted) ?? "null"
                entities.append(
                    EnrichmentEntity(schema: Self.schema, dataJSON: "{\"name\":\(JSONValue.quoted(pair.name)),\"value\":\(value)}")
                )
            }
        }
        return entities
    }

    /// Apache HttpCore's `BasicHeaderValueParser.parseParameters` over one header value.
    static func parameters(_ text: Substring) -> [(name: String, value: String?)] {
        let b = Array(text.utf8)
        var i = 0
        var result: [(String, String?)] = []
        func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
        while i < b.count, isBlank(b[i]) { i += 1 }
        while i < b.count {
            let name = token(b, &i, delimiters: [0x3D, 0x3B, 0x2C], quoted: false)
            if i >= b.count {
                result.append((name, nil))
                break
            }
            let delimiter = b[i]
            i += 1
            if delimiter != UInt8(ascii: "=") {
                result.append((name, nil))
                if delimiter == UInt8(ascii: ",") { break }
                continue
            }
            let value = token(b, &i, delimiters: [0x3B, 0x2C], quoted: true)
            result.append((name, value))
            if i < b.count {
                let end = b[i]
                i += 1
                if end == UInt8(ascii: ",") { break }
            }
        }
        return result
    }

    /// Apache's `TokenParser.parseToken`/`parseValue`: stops at a delimiter (not consumed), drops
    /// surrounding blanks, collapses inner blanks to one space, and (for values) unquotes `"…"`.
    private static func token(_ b: [UInt8], _ i: inout Int, delimiters: [UInt8], quoted: Bool) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        while i < b.count {
            let c = b[i]
            if delimiters.contains(c) { break }
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A {
                while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 }
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
            while i < b.count, !delimiters.contains(b[i]), !(b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A),
                !(quoted && b[i] == UInt8(ascii: "\""))
            {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
