/// Reads the canonical text form of a UUID (`8-4-4-4-12` hex digits, either case) into the two 64-bit
/// halves ClickHouse's `UUID` type stores. Pure.
enum UUIDText {
    /// `nil` unless `text` is exactly 36 characters of the canonical form.
    static func parse(_ text: String) -> (high: UInt64, low: UInt64)? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// `nil` unless `utf8` is exactly 36 bytes of the canonical form.
    static func parse(_ utf8: UnsafeRawBufferPointer) -> (high: UInt64, low: UInt64)? {
        guard utf8.count == 36, utf8[8] == 0x2D, utf8[13] == 0x2D, utf8[18] == 0x2D, utf8[23] == 0x2D else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for index in 0..<36 where index != 8 && index != 13 && index != 18 && index != 23 {
            let byte = utf8[index]
            let nibble: UInt8
            switch byte {
            case 0x30...0x39: nibble = byte - 0x30
            case 0x61...0x66: nibble = byte - 0x61 + 10
            case 0x41...0x46: nibble = byte - 0x41 + 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
            digits += 1
        }
        return (high, low)
    }
}
