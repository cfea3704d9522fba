/// Finding the bytes TSV-safe cleaning acts on — ASCII control characters U+0000–U+001F and U+007F —
/// eight bytes at a time: almost every column has none, so the scan mostly skips whole words.
///
/// Pure functions over caller-owned memory; safe from any thread.
enum TSVControlBytes {
    /// The position of the first control byte in `bytes` at or after `start`, or `bytes.count`.
    @inline(__always)
    static func first(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = bytes.count
        if let base = bytes.baseAddress {
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if containsControl(word) { break }
                index += 8
            }
        }
        while index < count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F { return index }
            index += 1
        }
        return count
    }

    /// `true` when one of the eight bytes of `word` is below 0x20 or is 0x7F (exact: the classic
    /// "has a byte less than n" and "has a zero byte" word tests never miss, and only report a false
    /// hit above a true one).
    @inline(__always)
    static func containsControl(_ word: UInt64) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- 0x2020_2020_2020_2020) & ~word & high
        let delete = word ^ 0x7F7F_7F7F_7F7F_7F7F
        let isDelete = (delete &- 0x0101_0101_0101_0101) & ~delete & high
        return below | isDelete != 0
    }
}
