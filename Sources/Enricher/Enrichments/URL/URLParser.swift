/// A fast URL parser that accepts what Snowplow accepts for `page_url` and `page_referrer`
/// (enrich `ConversionUtils.stringToUri` + `explodeUri`).
///
/// Snowplow first replaces every space with `%20` and hands the text to `java.net.URI` (RFC 2396 with
/// Java's extensions); when that fails it re-parses leniently (scala-uri) and re-encodes. This parser
/// follows the same two steps:
///
/// 1. **Strict** (Java's grammar): `[scheme ":"] ["//" authority] path ["?" query] ["#" fragment]`.
///    Allowed unencoded: letters, digits, `-_.!~*'()`, `;/?:@&=+$,` (and `[]` in query/fragment),
///    valid `%XX` escapes, and any non-ASCII character that is not a space or control character
///    (Java's "other" category — so `https://x.fr/café?q=ü` parses with the raw `café`, `q=ü`).
///    A hostname must be Java-valid (letters/digits/`-` labels, the last label starting with a letter,
///    or an IPv4/IPv6 literal); otherwise the authority is "registry-based" and `host` is `nil`
///    (e.g. `http://exa_mple.com/`), which is not a failure — Snowplow behaves the same way.
/// 2. **Lenient fix** when step 1 failed on a character: percent-encode (UTF-8) every character that is
///    illegal where it stands — ASCII controls, `"<>\^`{|}`, `[`/`]` in the path, any `#` after the
///    first, `%` not followed by two hex digits (→ `%25`), non-ASCII space/control characters — and
///    parse strictly again. Valid escapes and allowed non-ASCII characters are kept as they are
///    (scala-uri would also normalise those; a documented difference limited to already-broken URLs).
///
/// Failures (returned as ``URLParseFailure``, never thrown): an empty scheme (`:x`), a scheme with
/// illegal characters (`1http://x`, `ht*tp://x`), a scheme with nothing after it (`http:`), and a
/// missing authority with nothing after it (`http://`; Java accepts `http://?q=1` with no host).
///
/// Pure function on the UTF-8 bytes; safe to call from any thread.
public enum URLParser {
    /// Parses `text` the way Snowplow parses `page_url`/`page_referrer`.
    public static func parse(_ text: String) -> Result<URLParts, URLParseFailure> {
        var bytes = Array(text.utf8)
        if bytes.contains(UInt8(ascii: " ")) {
            bytes = replaceSpaces(bytes)
        }
        switch strictParse(bytes) {
        case .success(var parts):
            parts.url = bytes.count == text.utf8.count ? text : String(decoding: bytes, as: UTF8.self)
            return .success(parts)
        case .failure(let firstFailure):
            guard firstFailure.isCharacterProblem else {
                return .failure(URLParseFailure(input: text, reason: firstFailure.message))
            }
            let fixed = encodeIllegalCharacters(bytes)
            switch strictParse(fixed) {
            case .success(var parts):
                parts.url = String(decoding: fixed, as: UTF8.self)
                return .success(parts)
            case .failure(let secondFailure):
                return .failure(
                    URLParseFailure(
                        input: text,
                        reason: "\(firstFailure.message); after fixing illegal characters: \(secondFailure.message)"
                    )
                )
            }
        }
    }

    // MARK: - Strict parse (java.net.URI grammar)

    struct StrictFailure: Error {
        var message: String
        /// `true` when an illegal character caused the failure (the lenient fix may help).
        var isCharacterProblem: Bool
    }

    static func strictParse(_ b: [UInt8]) -> Result<URLParts, StrictFailure> {
        var parts = URLParts(url: "")
        let n = b.count
        // Scheme: the text before the first ':' if no '/', '?' or '#' comes first.
        var p = 0
        while p < n, b[p] != UInt8(ascii: "/"), b[p] != UInt8(ascii: "?"), b[p] != UInt8(ascii: "#"),
            b[p] != UInt8(ascii: ":")
        {
            p += 1
        }
        var start = 0
        if p < n, b[p] == UInt8(ascii: ":") {
            if p == 0 { return .failure(.init(message: "Expected scheme name at index 0", isCharacterProblem: false)) }
            guard isAlpha(b[0]), b[1..<p].allSatisfy({ isAlphaNumeric($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
            else {
                return .failure(.init(message: "Illegal character in scheme name", isCharacterProblem: false))
            }
            parts.scheme = String(decoding: b[0..<p], as: UTF8.self)
            start = p + 1
            if start == n {
                return .failure(.init(message: "Expected scheme-specific part at index \(start)", isCharacterProblem: false))
            }
            if b[start] != UInt8(ascii: "/") {
                // Opaque URI such as mailto:a@b.c — only a fragment can be extracted.
                let hash = b[start...].firstIndex(of: UInt8(ascii: "#")) ?? n
                if let bad = firstIllegal(b, start, hash, allowed: .uric) { return .failure(illegal(at: bad)) }
                if hash < n {
                    if let bad = firstIllegal(b, hash + 1, n, allowed: .uric) { return .failure(illegal(at: bad)) }
                    parts.fragment = nonEmpty(b, hash + 1, n)
                }
                return .success(parts)
            }
        }
        var i = start
        // Authority.
        if i + 1 < n, b[i] == UInt8(ascii: "/"), b[i + 1] == UInt8(ascii: "/") {
            i += 2
            var q = i
            while q < n, b[q] != UInt8(ascii: "/"), b[q] != UInt8(ascii: "?"), b[q] != UInt8(ascii: "#") { q += 1 }
            if q > i {
                switch parseAuthority(b, i, q) {
                case .success(let (host, port)):
                    parts.host = host
                    parts.explicitPort = port
                case .failure(let failure): return .failure(failure)
                }
            } else if q == n {
                return .failure(.init(message: "Expected authority at index \(i)", isCharacterProblem: false))
            }
            i = q
        }
        // Path.
        var q = i
        while q < n, b[q] != UInt8(ascii: "?"), b[q] != UInt8(ascii: "#") { q += 1 }
        if let bad = firstIllegal(b, i, q, allowed: .path) { return .failure(illegal(at: bad)) }
        parts.path = nonEmpty(b, i, q)
        parts.decodedPath = PercentDecoding.decode(b[i..<q], plusAsSpace: false)
        i = q
        // Query.
        if i < n, b[i] == UInt8(ascii: "?") {
            q = i + 1
            while q < n, b[q] != UInt8(ascii: "#") { q += 1 }
            if let bad = firstIllegal(b, i + 1, q, allowed: .uric) { return .failure(illegal(at: bad)) }
            parts.query = nonEmpty(b, i + 1, q)
            i = q
        }
        // Fragment.
        if i < n, b[i] == UInt8(ascii: "#") {
            if let bad = firstIllegal(b, i + 1, n, allowed: .uric) { return .failure(illegal(at: bad)) }
            parts.fragment = nonEmpty(b, i + 1, n)
        }
        return .success(parts)
    }

    private static func illegal(at index: Int) -> StrictFailure {
        StrictFailure(message: "Illegal character at index \(index)", isCharacterProblem: true)
    }

    /// Java's authority rule: server-based (`[userinfo@]host[:port]`) when it parses as such,
    /// otherwise registry-based (no host) when its characters allow, otherwise an error.
    private static func parseAuthority(_ b: [UInt8], _ start: Int, _ end: Int)
        -> Result<(String?, Int?), StrictFailure>
    {
        let serverChars = firstIllegal(b, start, end, allowed: .server) == nil
        let registryChars = firstIllegal(b, start, end, allowed: .registry) == nil
        if !serverChars && !registryChars {
            let bad = firstIllegal(b, start, end, allowed: .registry) ?? start
            return .failure(illegal(at: bad))
        }
        if serverChars, let server = parseServer(b, start, end) {
            return .success(server)
        }
        if registryChars { return .success((nil, nil)) }
        return .failure(.init(message: "Malformed authority at index \(start)", isCharacterProblem: true))
    }

    private static func parseServer(_ b: [UInt8], _ start: Int, _ end: Int) -> (String?, Int?)? {
        var p = start
        // userinfo@
        var q = p
        while q < end, CharacterClass.userInfo.contains(b[q]) || isEscapeOrOther(b, q, end) { q += advance(b, q, end) }
        if q < end, b[q] == UInt8(ascii: "@") { p = q + 1 }
        // host
        let hostStart = p
        if p < end, b[p] == UInt8(ascii: "[") {
            guard let close = b[p..<end].firstIndex(of: UInt8(ascii: "]")),
                IPAddressText.parseIPv6(b[(p + 1)..<close], allowScope: true) != nil
            else { return nil }
            p = close + 1
        } else if let afterIPv4 = scanIPv4(b, p, end) {
            p = afterIPv4
        } else if let afterHostname = scanHostname(b, p, end) {
            p = afterHostname
        } else {
            return nil
        }
        let host = String(decoding: b[hostStart..<p], as: UTF8.self)
        // :port
        var port: Int?
        if p < end {
            guard b[p] == UInt8(ascii: ":") else { return nil }
            p += 1
            let digitsStart = p
            while p < end, isDigit(b[p]) { p += 1 }
            if p < end { return nil }
            if p > digitsStart {
                var value = 0
                for d in b[digitsStart..<p] {
                    value = value * 10 + Int(d - 0x30)
                    if value > Int(Int32.max) { return nil }
                }
                port = value
            }
        }
        return (host, port)
    }

    /// Java's `scanIPv4Address`: four dotted decimal octets ≤ 255, followed by the end or `:`.
    private static func scanIPv4(_ b: [UInt8], _ start: Int, _ end: Int) -> Int? {
        var p = start
        for octet in 0..<4 {
            if octet > 0 {
                guard p < end, b[p] == UInt8(ascii: ".") else { return nil }
                p += 1
            }
            let digitsStart = p
            var value = 0
            while p < end, isDigit(b[p]), p - digitsStart < 3 {
                value = value * 10 + Int(b[p] - 0x30)
                p += 1
            }
            if p == digitsStart || value > 255 { return nil }
        }
        if p < end, b[p] != UInt8(ascii: ":") { return nil }
        return p
    }

    /// Java's `parseHostname`: labels of letters, digits and inner `-`, separated by `.`; a trailing
    /// `.` is allowed; when there is more than one label the last one must start with a letter.
    private static func scanHostname(_ b: [UInt8], _ start: Int, _ end: Int) -> Int? {
        var p = start
        var lastLabel = -1
        while true {
            var q = p
            while q < end, isAlphaNumeric(b[q]) { q += 1 }
            if q <= p { break }
            lastLabel = p
            p = q
            while q < end, isAlphaNumeric(b[q]) || b[q] == UInt8(ascii: "-") { q += 1 }
            if q > p {
                if b[q - 1] == UInt8(ascii: "-") { return nil }
                p = q
            }
            if p < end, b[p] == UInt8(ascii: ".") { p += 1 } else { break }
            if p >= end { break }
        }
        if p < end, b[p] != UInt8(ascii: ":") { return nil }
        if lastLabel < 0 { return nil }
        if lastLabel > start, !isAlpha(b[lastLabel]) { return nil }
        return p
    }

    // MARK: - Character classes

    struct CharacterClass: Sendable {
        var low: UInt64
        var high: UInt64

        func contains(_ byte: UInt8) -> Bool {
            if byte < 64 { return low & (1 << UInt64(byte)) != 0 }
            if byte < 128 { return high & (1 << UInt64(byte - 64)) != 0 }
            return false
        }

        init(_ characters: String, alphaNumeric: Bool = false) {
            low = 0
            high = 0
            var all = Array(characters.utf8)
            if alphaNumeric { all += Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8) }
            for c in all {
                if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
            }
        }

        static let unreservedMarks = "-_.!~*'()"
        /// Path characters: unreserved, `:@&=+$,`, `;` and `/` (no brackets).
        static let path = CharacterClass(unreservedMarks + ":@&=+$,;/", alphaNumeric: true)
        /// Query/fragment/opaque characters: unreserved and reserved, Java's reserved set including `[]`.
        static let uric = CharacterClass(unreservedMarks + ";/?:@&=+$,[]", alphaNumeric: true)
        /// Userinfo characters.
        static let userInfo = CharacterClass(unreservedMarks + ";:&=+$,", alphaNumeric: true)
        /// Characters of a server-based authority.
        static let server = CharacterClass(unreservedMarks + ";:&=+$,.:@[]-", alphaNumeric: true)
        /// Characters of a registry-based authority.
        static let registry = CharacterClass(unreservedMarks + "$,;:@&=+", alphaNumeric: true)
    }

    /// Index of the first character in `b[start..<end]` that is neither in `allowed`, nor a valid
    /// escape, nor an allowed non-ASCII character.
    static func firstIllegal(_ b: [UInt8], _ start: Int, _ end: Int, allowed: CharacterClass) -> Int? {
        var i = start
        while i < end {
            let c = b[i]
            if allowed.contains(c) {
                i += 1
            } else if isEscapeOrOther(b, i, end) {
                i += advance(b, i, end)
            } else {
                return i
            }
        }
        return nil
    }

    /// `true` at a valid `%XX` escape or at a non-ASCII scalar that is neither a space nor a control.
    private static func isEscapeOrOther(_ b: [UInt8], _ i: Int, _ end: Int) -> Bool {
        let c = b[i]
        if c == UInt8(ascii: "%") {
            return i + 2 < end && isHex(b[i + 1]) && isHex(b[i + 2])
        }
        guard c >= 0x80, let scalar = decodeScalar(b, i, end) else { return false }
        return isOther(scalar.scalar)
    }

    /// The byte length of the escape or scalar at `i` (1 for ASCII).
    private static func advance(_ b: [UInt8], _ i: Int, _ end: Int) -> Int {
        if b[i] == UInt8(ascii: "%") { return 3 }
        if b[i] < 0x80 { return 1 }
        return decodeScalar(b, i, end)?.length ?? 1
    }

    static func isOther(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value <= 0x9F { return false }
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return false
        default: return true
        }
    }

    static func decodeScalar(_ b: [UInt8], _ i: Int, _ end: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        let lead = b[i]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return nil
        }
        guard i + length <= end else { return nil }
        var decoder = UTF8()
        var iterator = b[i..<(i + length)].makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return (scalar, length) }
        return nil
    }

    // MARK: - Lenient fix

    private static func replaceSpaces(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 8)
        for c in bytes {
            if c == UInt8(ascii: " ") { out += [0x25, 0x32, 0x30] } else { out.append(c) }
        }
        return out
    }

    /// Percent-encodes every character that is illegal where it stands (see the type's documentation).
    static func encodeIllegalCharacters(_ b: [UInt8]) -> [UInt8] {
        let n = b.count
        // Where the authority ends, so that brackets of an IPv6 literal are kept.
        var authorityEnd = 0
        if let schemeSlashes = firstSchemeSlashes(b) {
            authorityEnd = schemeSlashes
            while authorityEnd < n, b[authorityEnd] != UInt8(ascii: "/"), b[authorityEnd] != UInt8(ascii: "?"),
                b[authorityEnd] != UInt8(ascii: "#")
            {
                authorityEnd += 1
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(n + 16)
        var inQueryOrFragment = false
        var seenHash = false
        var i = 0
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "%") {
                if i + 2 < n, isHex(b[i + 1]), isHex(b[i + 2]) {
                    out += b[i...(i + 2)]
                    i += 3
                } else {
                    out += [0x25, 0x32, 0x35]
                    i += 1
                }
                continue
            }
            if c >= 0x80 {
                if let (scalar, length) = decodeScalar(b, i, n), isOther(scalar) {
                    out += b[i..<(i + length)]
                    i += length
                } else {
                    let length = decodeScalar(b, i, n)?.length ?? 1
                    for byte in b[i..<(i + length)] { appendEscape(byte, to: &out) }
                    i += length
                }
                continue
            }
            if c == UInt8(ascii: "#") {
                if seenHash { appendEscape(c, to: &out) } else { out.append(c) }
                seenHash = true
                inQueryOrFragment = true
            } else if c == UInt8(ascii: "?") {
                out.append(c)
                inQueryOrFragment = true
            } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "]") {
                if inQueryOrFragment || i < authorityEnd { out.append(c) } else { appendEscape(c, to: &out) }
            } else if CharacterClass.uric.contains(c) {
                out.append(c)
            } else {
                appendEscape(c, to: &out)
            }
            i += 1
        }
        return out
    }

    /// The index just after `scheme://`, if the text starts that way.
    private static func firstSchemeSlashes(_ b: [UInt8]) -> Int? {
        guard let colon = b.firstIndex(of: UInt8(ascii: ":")), colon > 0,
            b[0..<colon].allSatisfy({ isAlphaNumeric($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }),
            b[(colon + 1)...].starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")])
        else { return nil }
        return colon + 3
    }

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }

    // MARK: - Small helpers

    private static func nonEmpty(_ b: [UInt8], _ start: Int, _ end: Int) -> String? {
        end > start ? String(decoding: b[start..<end], as: UTF8.self) : nil
    }

    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    static func isAlphaNumeric(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }
    static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || ((c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "f"))
    }
}
