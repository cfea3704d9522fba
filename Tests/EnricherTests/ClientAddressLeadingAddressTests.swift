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
}
