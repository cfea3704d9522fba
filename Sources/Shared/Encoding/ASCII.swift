/// ASCII checks over a string's UTF-8 bytes, eight bytes at a time (the hot paths ask this of every
/// user agent, host and address; `utf8.allSatisfy` walks the view byte by byte).
public enum ASCII {
    /// `true` when every UTF-8 byte of `text` is below 0x80 (the empty string included).
    @inline(__always)
    public static func isASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isASCII($0) }
    }

    /// `true` when every byte of `bytes` is below 0x80.
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= count {
            high |= UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            index += 8
        }
        while index < count {
            high |= UInt64(base[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
