/// The client's IP address as the collector records it (reference §2.2, §2.5): from `X-Forwarded-For`,
/// else `Forwarded: for=`, else the socket peer.
///
/// `trustedProxies` changes which `X-Forwarded-For` entry counts: `nil` (the default, Snowplow's
/// behaviour) takes the first entry; `n ≥ 1` takes the entry added by the outermost of the `n` trusted
/// proxies (the n-th from the right), so a client cannot spoof its address by sending the header itself;
/// `0` ignores the forwarding headers and uses the socket peer.
enum ClientAddress {
    static func resolve(forwardedFor: String?, forwarded: String?, peer: String?, trustedProxies: Int?) -> String? {
        if trustedProxies == 0 { return peer.map(stripBrackets) }
        if let forwardedFor {
            let entries = forwardedFor.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            if let trusted = trustedProxies {
                if entries.count >= trusted { return stripBrackets(String(entries[entries.count - trusted])) }
                if let first = entries.first { return stripBrackets(String(first)) }
            } else if let first = entries.first {
                return stripBrackets(String(first))
            }
        }
        if let forwarded, let address = firstForwardedFor(in: forwarded) { return address }
        return peer.map(stripBrackets)
    }

    /// The first `for=` of a `Forwarded` header (RFC 7239): `for=192.0.2.60;proto=http`, `for="[2001:db8::1]:443"`.
    static func firstForwardedFor(in header: String) -> String? {
        for element in header.split(separator: ",") {
            for pair in element.split(separator: ";") {
                let trimmed = pair.trimmingSpaces()
                guard trimmed.lowercased().hasPrefix("for=") else { continue }
                var value = trimmed.dropFirst(4)
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
                if value.hasPrefix("[") {
                    guard let close = value.firstIndex(of: "]") else { return nil }
                    return String(value[value.index(after: value.startIndex)..<close])
                }
                if let colon = value.firstIndex(of: ":"), value.filter({ $0 == ":" }).count == 1 {
                    value = value[..<colon]  // IPv4 with a port
                }
                return value.isEmpty || value.lowercased() == "unknown" ? nil : String(value)
            }
        }
        return nil
    }

    private static func stripBrackets(_ address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        return address
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
