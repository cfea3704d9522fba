import Testing

@testable import Shared

/// The two decoding behaviours of ``Base64`` told apart on the same texts (each is tested in depth by
/// the collector log-line and tracker self-describing suites).
@Suite struct Base64OptionsTests {
    @Test func strictRejectsWhatLenientAccepts() {
        // URL-safe characters, missing padding, non-zero trailing bits.
        for (text, lenient) in [
            ("-_8=", [0xFB, 0xFF] as [UInt8]), ("QQ", [0x41]), ("QR==", [0x41]), ("QUJ", [0x41, 0x42]),
        ] {
            #expect((try? Base64.decode(text.utf8, options: .lenient).get()) == lenient, "\(text)")
            #expect((try? Base64.decode(text.utf8).get()) == nil, "\(text)")
        }
    }

    @Test func unpaddedURLSafeEncodingHasTheAnnouncedLengthAndDecodesLeniently() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: 0xF0 &+ $0 &* 37) }
            let text = Base64.encode(bytes, alphabet: .urlSafe, padded: false)
            #expect(text.utf8.count == Base64.encodedLength(byteCount: length, padded: false))
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect((try? Base64.decode(text.utf8, options: .lenient).get()) == bytes)
        }
    }
}
