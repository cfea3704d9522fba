/// Integer parsing with the semantics of Java's `Long.parseLong` / `Integer.parseInt`, which enrich
/// uses for tracker parameters: an optional `+` or `-`, then one or more ASCII digits, in range.
/// No whitespace, no `_`, no hex.
enum JavaNumber {
    /// The value of `text` as `Long.parseLong` reads it, or `nil`.
    static func parseInt64(_ text: String) -> Int64? {
        var utf8 = text.utf8[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        guard !utf8.isEmpty else { return nil }
        // Accumulate negatively so Int64.min parses.
        var value: Int64 = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        if negative { return value }
        return value == Int64.min ? nil : -value
    }

    /// The value of `text` as `Integer.parseInt` reads it (32-bit range), or `nil`.
    static func parseInt32(_ text: String) -> Int32? {
        guard let value = parseInt64(text) else { return nil }
        return Int32(exactly: value)
    }
}
