import Foundation
import Testing

@testable import Shared

/// `Base64.encode` (pair-table encoder) against Foundation's encoder, for every length up to 200 bytes
/// (all three tail cases) and every byte value, in both alphabets and with and without padding.
@Suite struct Base64EncodeOracleTests {
    @Test func encodeMatchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        var inputs: [[UInt8]] = [Array(0...255), Array((0...255).reversed())]
        for length in 0...200 { inputs.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        for bytes in inputs {
            let expected = Data(bytes).base64EncodedString()
            #expect(Base64.encode(bytes) == expected, "\(bytes.count) bytes")
            let urlSafe = expected.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(Base64.encode(bytes, alphabet: .urlSafe) == urlSafe, "\(bytes.count) bytes, URL-safe")
            #expect(
                Base64.encode(bytes, alphabet: .urlSafe, padded: false)
                    == urlSafe.replacingOccurrences(of: "=", with: ""),
                "\(bytes.count) bytes, URL-safe unpadded")
        }
    }
}
