/// Lenient percent-decoding of URL text, as used for query parameters and referer search terms.
///
/// `%XX` sequences become bytes and the result is read as UTF-8; invalid UTF-8 becomes U+FFFD (as
/// Java's decoders do). A `%` not followed by two hex digits is kept literally (Apache's
/// `URLEncodedUtils` does this; Java's `URLDecoder` — used by referer-parser for search terms —
/// throws instead, which Snowplow does not catch; we keep the text rather than fail the event).
/// Non-ASCII characters are kept as they are (Apache's decoder truncates them to one byte, a bug we do
/// not reproduce).
///
/// Pure functions; safe to call from any thread.
public enum PercentDecoding {
    /// Decodes `text`; with `plusAsSpace` a `+` becomes a space (form encoding).
    public static func decode(_ text: Substring, plusAsSpace: Bool) -> String {
        var copy = text
        return copy.withUTF8 { buffer in decode(buffer[...], plusAsSpace: plusAsSpace) }
    }

    /// Decodes `text`; with `plusAsSpace` a `+` becomes a space (form encoding).
    public static func decode(_ text: String, plusAsSpace: Bool) -> String {
        decode(text[...], plusAsSpace: plusAsSpace)
    }

    /// Decodes UTF-8 bytes.
    public static func decode<Bytes: Collection>(_ bytes: Bytes, plusAsSpace: Bool) -> String
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var needsWork = false
        for c in bytes where c == UInt8(ascii: "%") || (plusAsSpace && c == UInt8(ascii: "+")) {
            needsWork = true
            break
        }
        if !needsWork { return String(decoding: bytes, as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "%"), i + 2 < end, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(plusAsSpace && c == UInt8(ascii: "+") ? UInt8(ascii: " ") : c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
