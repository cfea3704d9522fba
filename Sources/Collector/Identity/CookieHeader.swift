/// The request's `Cookie` header, parsed and sanitised as Snowplow's collector does (RFC 6265): pairs
/// split on `;`, spaces removed, pairs with characters a cookie may not contain dropped.
struct CookieHeader: Sendable, Equatable {
    /// The surviving `name=value` pairs, in order.
    var pairs: [(name: String, value: String)]

    init(_ header: String) {
        pairs = []
        for part in header.split(separator: ";") {
            let trimmed = part.filter { $0 != " " && $0 != "\t" }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let name = trimmed[..<equals], value = trimmed[trimmed.index(after: equals)...]
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isTokenCharacter),
                Self.isValidValue(value)
            else { continue }
            pairs.append((String(name), String(value)))
        }
    }

    /// The first value of the cookie `name`.
    func value(named name: String) -> String? {
        pairs.first(where: { $0.name == name })?.value
    }

    /// The sanitised header as stored in the collector payload: `a=1;b=2`.
    var sanitised: String {
        pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
    }

    static func == (lhs: CookieHeader, rhs: CookieHeader) -> Bool {
        lhs.pairs.map(\.name) == rhs.pairs.map(\.name) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }

    /// RFC 6265 cookie-value: optionally quoted cookie-octets.
    private static func isValidValue(_ value: Substring) -> Bool {
        var body = value
        if body.count >= 2, body.first == "\"", body.last == "\"" { body = body.dropFirst().dropLast() }
        return body.unicodeScalars.allSatisfy { scalar in
            let v = scalar.value
            return v == 0x21 || (0x23...0x2B).contains(v) || (0x2D...0x3A).contains(v) || (0x3C...0x5B).contains(v)
                || (0x5D...0x7E).contains(v)
        }
    }

    /// RFC 7230 token characters.
    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": return true
        default: return false
        }
    }
}
