import Testing

@testable import Shared

/// ``ASCII/isASCII(_:)`` (eight bytes at a time) against `utf8.allSatisfy { $0 < 0x80 }`.
@Suite struct ASCIICheckTests {
    @Test("one non-ASCII byte at every position of every length up to 40 is found")
    func everyPositionAndLength() {
        for length in 0...40 {
            let plain = String(repeating: "a", count: length)
            #expect(ASCII.isASCII(plain), "\(length)")
            for position in 0..<length {
                var bytes = Array(plain.utf8)
                bytes[position] = 0xC3  // a lead byte: the string is repaired, still non-ASCII at that place
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(!ASCII.isASCII(text), "\(length) \(position)")
                #expect(ASCII.isASCII(text) == text.utf8.allSatisfy { $0 < 0x80 })
            }
        }
    }

    @Test("agrees with allSatisfy on bridged, small, substring-made and mixed strings")
    func mixedStrings() {
        let texts = ["", "é", "ascii only", "Mozilla/5.0 (X11; Linux x86_64) ☃", String("0123456789abcdef€".dropFirst(3)), "\u{7F}\u{0}"]
        for text in texts {
            #expect(ASCII.isASCII(text) == text.utf8.allSatisfy { $0 < 0x80 }, "\(text)")
        }
    }
}
