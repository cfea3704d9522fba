import Testing

@testable import Enricher

/// The byte-level `ClientAddress.leadingAddress` against the `Character`-based version it replaced
/// (kept here as the oracle) on hand-picked and random ASCII header values.
@Suite("Enricher client address: leading address")
struct ClientAddressLeadingAddressTests {
    /// The previous implementation, character by character.
    static func oracle(_ text: Substring) -> String? {
        var rest = text.drop(while: { $0 == " " })
        if rest.first == "\"" { rest = rest.dropFirst() }
        if rest.first == "[" { rest = rest.dropFirst() }
        let address = rest.prefix(while: { $0.isHexDigit || $0 == ":" || $0 == "." })
        guard !address.isEmpty else { return nil }
        if address.contains(".") {
            let groups = address.split(separator: ".", omittingEmptySubsequences: false)
            guard groups.count == 4, groups.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isNumber) }) else { return nil }
        }
        return String(address)
    }

    @Test("known values")
    func known() {
        let cases: [(String, String?)] = [
            ("1.2.3.4", "1.2.3.4"), ("  203.0.113.7, 10.0.0.1", "203.0.113.7"), ("\"[2001:db8::1]\":4711", "2001:db8::1"),
            ("1.2.3", nil), ("1.2.3.4.5", nil), ("1234.1.1.1", nil), ("1..2.3", nil), ("1.2.3.4a", nil), ("a.b.c.d", nil),
            ("::ffff:1.2.3.4", nil), ("unknown", nil), ("", nil), ("   ", nil), ("dead:beef", "dead:beef"), ("1.2.3.4é", "1.2.3.4"),
        ]
        for (text, expected) in cases {
            #expect(ClientAddress.leadingAddress(text[...]) == expected, "\(text)")
            #expect(Self.oracle(text[...]) == expected, "oracle: \(text)")
        }
    }

    @Test("random ASCII values answer like the character-based version")
    func random() {
        let alphabet = Array("0123456789abcdefABCDEFgxz.:[]\" ,;=")
        var generator = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        for _ in 0..<50_000 {
            let length = Int.random(in: 0...16, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let prefixed = Bool.random(using: &generator) ? "x" + text : text
            let sub = prefixed.dropFirst(prefixed.hasPrefix("x") ? 1 : 0)
            if ClientAddress.leadingAddress(sub) != Self.oracle(sub) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// The previous `ClientAddress.extract`, on `String` and `Substring` views (the oracle of the
    /// byte-level one).
    static func extractOracle(headers: [String]?, recorded: String) -> String {
        func value(of header: String, named name: String) -> Substring? {
            let utf8 = header.utf8
            guard utf8.count > name.utf8.count, let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let headerName = header[..<colon]
            guard headerName.utf8.count == name.utf8.count else { return nil }
            for (a, b) in zip(headerName.utf8, name.utf8) where a | 0x20 != b { return nil }
            return header[header.index(after: colon)...]
        }
        guard let headers, !headers.isEmpty else { return recorded }
        var forwarded: String?
        for header in headers {
            let utf8 = header.utf8
            guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let nameLength = utf8.distance(from: utf8.startIndex, to: colon)
            if nameLength == 15, let value = value(of: header, named: "x-forwarded-for"), let address = oracle(value) {
                return address
            }
            if nameLength == 9, forwarded == nil, let value = value(of: header, named: "forwarded") {
                var rest = value.drop(while: { $0 == " " })
                if rest.lowercased().hasPrefix("for=") {
                    rest = rest.dropFirst(4)
                    forwarded = oracle(rest)
                }
            }
        }
        return forwarded ?? recorded
    }

    @Test("the address from headers answers like the string-based version")
    func extractFromHeaders() {
        let known: [([String]?, String)] = [
            (nil, "10.0.0.9"), ([], "10.0.0.9"), (["X-Forwarded-For: 198.51.100.1, 10.0.0.1", "Forwarded: for=192.0.2.60"], "198.51.100.1"),
            (["Forwarded: For=\"[2001:db8::7]\"", "x-forwarded-for: unknown"], "2001:db8::7"), (["X-Forwarded-For:"], "10.0.0.9"),
            (["X-Forwarded-For", "Forwarded:for=1.2.3.4"], "1.2.3.4"), (["Forwarded: for\u{1D}1.2.3.4"], "10.0.0.9"),
            (["Forwarded: FOR=1.2.3.4"], "1.2.3.4"), (["Forwarded: by=1.1.1.1", "Forwarded: for=2.2.2.2"], "2.2.2.2"), (["Forwarded: for=1.1.1.1", "Forwarded: for=2.2.2.2"], "1.1.1.1"),
        ]
        // The one intended difference: a combining mark right after the colon belongs to the value
        // (the string version stepped over the colon's whole grapheme cluster and so skipped it).
        #expect(ClientAddress.extract(headers: ["X-Forwarded-For:\u{301}1.2.3.4"], recorded: "10.0.0.9") == "10.0.0.9")
        for (headers, expected) in known {
            #expect(ClientAddress.extract(headers: headers, recorded: "10.0.0.9") == expected, "\(String(describing: headers))")
            #expect(Self.extractOracle(headers: headers, recorded: "10.0.0.9") == expected, "oracle: \(String(describing: headers))")
        }
        let names = ["X-Forwarded-For", "x-forwarded-for", "X-FORWARDED-FOR", "X-Forwarded-Fo", "X_Forwarded-For", "Forwarded",
                     "FORWARDED", "forwarde", "Forwardee", "Host", "User-Agent", "", "X-Forwarded-For ", "Forwarded\u{0}"]
        let values = Array("0123456789abcdefFORor=.:[]\" ,;é\u{1D}\u{1F}")
        var generator = SystemRandomNumberGenerator()
        var mismatches: [[String]] = []
        for _ in 0..<20_000 {
            let headers = (0..<Int.random(in: 0...4, using: &generator)).map { _ -> String in
                let name = names.randomElement(using: &generator)!
                let value = String((0..<Int.random(in: 0...14, using: &generator)).map { _ in values.randomElement(using: &generator)! })
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: return name + value
                case 1...3: return name + ": for=" + value
                default: return name + ":" + value
                }
            }
            if ClientAddress.extract(headers: headers, recorded: "r") != Self.extractOracle(headers: headers, recorded: "r") {
                mismatches.append(headers)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
