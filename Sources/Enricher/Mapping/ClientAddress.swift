/// The client address of an event from the collector payload's headers, as enrich's
/// `IpAddressExtractor`: the first address of an `X-Forwarded-For` header, else the `for=` address
/// of a `Forwarded` header, else the address the collector recorded. Quotes and IPv6 brackets are
/// removed. (The tracker's `ip` parameter, applied later, overrides all of these.)
///
/// Pure functions; safe from any thread.
enum ClientAddress {
    /// The address for `headers` (`"Name: value"` lines), falling back to `recorded`.
    static func extract(headers: [String]?, recorded: String) -> String {
        guard let headers, !headers.isEmpty else { return recorded }
        var forwarded: String?
        for header in headers {
            if let value = value(of: header, named: "x-forwarded-for"), let address = leadingAddress(value) {
                return address
            }
            if forwarded == nil, let value = value(of: header, named: "forwarded") {
                var rest = value.drop(while: { $0 == " " })
                if rest.lowercased().hasPrefix("for=") {
                    rest = rest.dropFirst(4)
                    forwarded = leadingAddress(rest)
                }
            }
        }
        return forwarded ?? recorded
    }

    /// The value of `header` when its name is `name` (case-insensitive), else `nil`.
    static func value(of header: String, named name: String) -> Substring? {
        let utf8 = header.utf8
        guard utf8.count > name.utf8.count, let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let headerName = header[..<colon]
        guard headerName.utf8.count == name.utf8.count else { return nil }
        for (a, b) in zip(headerName.utf8, name.utf8) where a | 0x20 != b { return nil }
        return header[header.index(after: colon)...]
    }

    /// The address at the start of `text` (after spaces): an optionally quoted/bracketed IPv4 or IPv6
    /// literal, as enrich's regex `"?\[?(ipv4|[0-9a-fA-F:]+)\]?"?`.
    static func leadingAddress(_ text: Substring) -> String? {
        var rest = text.drop(while: { $0 == " " })
        if rest.first == "\"" { rest = rest.dropFirst() }
        if rest.first == "[" { rest = rest.dropFirst() }
        let address = rest.prefix(while: { $0.isHexDigit || $0 == ":" || $0 == "." })
        guard !address.isEmpty else { return nil }
        let hasDot = address.contains(".")
        if hasDot {
            // IPv4: four groups of 1-3 digits.
            let groups = address.split(separator: ".", omittingEmptySubsequences: false)
            guard groups.count == 4, groups.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isNumber) }) else { return nil }
        }
        return String(address)
    }
}
