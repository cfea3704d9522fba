/// The base64 used by `cx` / `ue_px` (and by enrich's redirect adapter when it rewrites `cx`).
///
/// Decoding accepts what commons-codec `Base64(urlSafe = true)` accepts for well-formed input: the
/// URL-safe alphabet (`-`, `_`) **and** the standard one (`+`, `/`), mixed freely, with or without
/// `=` padding. Unlike commons-codec, which silently skips characters outside the alphabet (and so
/// hands garbage on to the JSON parser), any other character — including whitespace and padding
/// in the middle — or a length that leaves a single dangling character is rejected. Trailing
/// unused bits are ignored, as commons-codec's default lenient policy does.
///
/// Encoding produces the URL-safe alphabet without padding, as commons-codec's URL-safe encoder and
/// the JavaScript tracker do. Pure functions, thread-safe.
public enum TrackerBase64 {
    /// The decoded bytes, or `nil` if `text` is not base64 as described above.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(bytes: $0) }
    }

    /// Decodes UTF-8 bytes of base64 text.
    public static func decode(bytes input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var end = input.count
        // Strip up to two '=' of padding at the very end.
        var padding = 0
        while end > 0, padding < 2, input[end - 1] == UInt8(ascii: "=") {
            end -= 1
            padding += 1
        }
        if padding > 0, (end + padding) % 4 != 0 { return nil }
        if end % 4 == 1 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(end / 4 * 3 + 2)
        var accumulator: UInt32 = 0
        var bits = 0
        for index in 0..<end {
            guard let sextet = sextetValue(input[index]) else { return nil }
            accumulator = accumulator << 6 | UInt32(sextet)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return output
    }

    /// `bytes` in URL-safe base64 without padding.
    public static func encodeURLSafe(_ bytes: some Sequence<UInt8>) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            accumulator = accumulator << 8 | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                output.append(alphabet[Int((accumulator >> UInt32(bits)) & 0x3F)])
            }
            accumulator &= (1 << UInt32(bits)) - 1
        }
        if bits > 0 {
            output.append(alphabet[Int((accumulator << UInt32(6 - bits)) & 0x3F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    @inline(__always) private static func sextetValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"), UInt8(ascii: "+"): return 62
        case UInt8(ascii: "_"), UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
