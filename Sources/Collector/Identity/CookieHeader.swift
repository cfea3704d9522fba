/// The request's `Cookie` header, parsed and sanitised as Snowplow's collector does (RFC 6265): pairs
/// split on `;`, spaces removed, pairs with characters a cookie may not contain dropped.
///
/// Works on the header's UTF-8 bytes: it runs for every tracking request.
struct CookieHeader: Sendable, Equatable {
    /// The surviving `name=value` pairs, in order.
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ header: String) {
        var header = header
        header.withUTF8 { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
                if let pair = Self.pair(bytes, start, end) { pairs.append(pair) }
                start = end + 1
            }
        }
    }

    /// One `name=value` part between `start` and `end`, spaces removed, or `nil` if it is not valid.
    private static func pair(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (name: String, value: String)? {
        var start = start, end = end
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        guard let equals = (start..<end).first(where: { bytes[$0] == UInt8(ascii: "=") }) else { return nil }
        let part = UnsafeBufferPointer(rebasing: bytes[start..<end])
        // The usual case has no blank inside the pair: slice the name and value without copying twice.
        if !part.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
            let name = UnsafeBufferPointer(rebasing: bytes[start..<equals])
            let value = UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end])
            guard !name.isEmpty, name.allSatisfy(isTokenByte), isValidValue(value) else { return nil }
            return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        let name = bytes[start..<equals].filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        let value = bytes[(equals + 1)..<end].filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        guard !name.isEmpty, name.allSatisfy(isTokenByte), value.withUnsafeBufferPointer(isValidValue) else { return nil }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// The first value of the cookie `name`.
    func value(named name: String) -> String? {
        pairs.first(where: { $0.name == name })?.value
    }

    /// The sanitised header as stored in the collector payload: `a=1;b=2`.
    var sanitised: String {
        var text = ""
        for (index, pair) in pairs.enumerated() {
            if index > 0 { text += ";" }
            text += pair.name
            text += "="
            text += pair.value
        }
        return text
    }

    static func == (lhs: CookieHeader, rhs: CookieHeader) -> Bool {
        lhs.pairs.map(\.name) == rhs.pairs.map(\.name) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }

    /// RFC 6265 cookie-value: optionally quoted cookie-octets.
    private static func isValidValue(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var body = value[...]
        if body.count >= 2, body.first == UInt8(ascii: "\""), body.last == UInt8(ascii: "\"") { body = body.dropFirst().dropLast() }
        return body.allSatisfy { v in
            v == 0x21 || (0x23...0x2B).contains(v) || (0x2D...0x3A).contains(v) || (0x3C...0x5B).contains(v) || (0x5D...0x7E).contains(v)
        }
    }

    /// RFC 7230 token characters.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
