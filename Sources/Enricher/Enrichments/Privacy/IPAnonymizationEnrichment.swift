import Shared

/// Snowplow's IP anonymisation (`AnonIpEnrichment`): masks the trailing octets/segments of
/// `user_ipaddress` with `x`. Fills: `user_ipaddress`.
///
/// Exact Snowplow output, including its quirks:
/// - valid IPv4 `94.15.213.171`, 3 octets → `94.x.x.x`;
/// - valid IPv6 is first rewritten in Java's long form, then masked:
///   `2605:2700:0:3::4713:93e3`, 4 segments → `2605:2700:0:3:x:x:x:x`;
///   an embedded IPv4 becomes hex groups (`f334::40cb:152.16.24.142`, 2 → `f334:0:0:0:0:40cb:x:x`);
/// - IPv4-mapped IPv6 (`::ffff:…`) is an IPv4 address for Java, so the *original text* is masked
///   on its dots: `::FFFF:152.16.24.123`, 2 → `::FFFF:152.16.x.x` (the upper-case `::FFFF:` prefix is
///   kept aside as in Snowplow; a lower-case prefix stays glued to the first octet, which makes no
///   difference unless all 4 octets are masked: `::ffff:1.2.3.4`, 4 → `x.x.x.x`);
///   the hex form `::ffff:102:304` has no dots and is only replaced (by `x`) with 4 octets;
/// - invalid text with a dot (or empty text) is masked as IPv4 on its dots (`777.2.23`, 4 → `x.x.x`;
///   `""`, 4 → `x`), invalid text with a colon as IPv6 on its colons (`2700:zzzz::gggg`, 6 →
///   `2700:zzzz:x:x:x:x:x:x`), anything else is returned unchanged;
/// - IPv6 zone ids (`fe80::1%eth0`) are treated as invalid text (Snowplow would resolve the zone).
///
/// Value type; `anonymize` is a pure function, safe to call from any thread.
public struct IPAnonymizationEnrichment: Sendable {
    /// The validated parameters.
    public let configuration: IPAnonymizationConfiguration

    public init(configuration: IPAnonymizationConfiguration) {
        self.configuration = configuration
    }

    /// The anonymised form of `ip` (the new `user_ipaddress`); `nil` stays `nil`.
    public func anonymize(_ ip: String?) -> String? {
        guard let ip else { return nil }
        let bytes = Array(ip.utf8)
        if bytes.contains(UInt8(ascii: ":")) {
            if let address = IPAddressText.parseIPv6(bytes) {
                if IPAddressText.isIPv4Mapped(address) { return maskIPv4(ip) }
                return maskIPv6(IPAddressText.javaHostAddress(address))
            }
        } else if bytes.contains(UInt8(ascii: ".")), IPAddressText.parseIPv4(bytes) != nil {
            return maskIPv4(ip)
        }
        // Not a valid address: Snowplow's `tryAnonymizingInvalidIp`.
        if bytes.isEmpty || bytes.contains(UInt8(ascii: ".")) { return maskIPv4(ip) }
        if bytes.contains(UInt8(ascii: ":")) { return maskIPv6(ip) }
        return ip
    }

    private static let mappedPrefix = "::FFFF:"
    private static let mappedPrefixBytes: [UInt8] = Array(mappedPrefix.utf8)

    /// `ip.hasPrefix("::FFFF:")`, on the bytes when the byte after the prefix is ASCII (then no
    /// grapheme cluster can join the prefix's last ':' to what follows).
    private static func hasMappedPrefix(_ ip: String) -> Bool {
        let utf8 = ip.utf8
        guard utf8.starts(with: mappedPrefixBytes) else { return false }
        let next = utf8.dropFirst(mappedPrefixBytes.count).first ?? 0
        return next < 0x80 ? true : ip.hasPrefix(mappedPrefix)
    }

    private func maskIPv4(_ ip: String) -> String {
        if Self.hasMappedPrefix(ip) {
            return Self.mappedPrefix + mask(String(ip.dropFirst(Self.mappedPrefix.count)), separator: ".", keep: 4 - configuration.ipv4Octets, padTo: nil)
        }
        return mask(ip, separator: ".", keep: 4 - configuration.ipv4Octets, padTo: nil)
    }

    private func maskIPv6(_ ip: String) -> String {
        mask(ip, separator: ":", keep: 8 - configuration.ipv6Segments, padTo: 8)
    }

    /// Java `split(sep)` (trailing empty parts dropped), keep the first `keep` parts, pad with `x` to
    /// `padTo` parts (default: as many parts as the split produced), join.
    func mask(_ text: String, separator: Character, keep: Int, padTo: Int?) -> String {
        guard let separatorByte = separator.asciiValue, ASCII.isASCII(text) else {
            return Self.maskCharacters(text, separator: separator, keep: keep, padTo: padTo)
        }
        // ASCII text: the same split, keep and pad over the bytes, in one pass and without arrays.
        var text = text
        return text.withUTF8 { bytes in
            // Java's split drops trailing empty parts: `parts` counts the parts up to the last non-empty
            // one ("" is one empty part; a text of separators only has none).
            var parts = bytes.isEmpty ? 1 : 0
            var keepEnd = 0  // the end of part `keep - 1`
            var lastNonEmptyEnd = 0  // the end of the last non-empty part
            var part = 0, partStart = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == separatorByte {
                if index > partStart { parts = part + 1; lastNonEmptyEnd = index }
                if part == keep - 1 { keepEnd = index }
                part += 1
                partStart = index + 1
            }
            let width = padTo ?? parts
            let kept = min(keep, parts)
            let keptEnd = kept <= 0 ? 0 : kept == keep ? keepEnd : lastNonEmptyEnd
            let padding = max(0, width - kept)
            let count = keptEnd + 2 * padding - (kept <= 0 && padding > 0 ? 1 : 0)
            return String(unsafeUninitializedCapacity: count) { output in
                var written = 0
                if keptEnd > 0 {
                    _ = UnsafeMutableBufferPointer(rebasing: output[0..<keptEnd]).initialize(from: UnsafeBufferPointer(rebasing: bytes[0..<keptEnd]))
                    written = keptEnd
                }
                for position in kept..<max(kept, width) {
                    if position > 0 { output[written] = separatorByte; written += 1 }
                    output[written] = UInt8(ascii: "x")
                    written += 1
                }
                return written
            }
        }
    }

    /// Java `split(sep)` (trailing empty parts dropped), keep the first `keep` parts, pad with `x` to
    /// `padTo` parts (default: as many parts as the split produced), join.
    static func maskCharacters(_ text: String, separator: Character, keep: Int, padTo: Int?) -> String {
        // Java's String.split: "" gives [""]; otherwise trailing empty parts are removed.
        var parts = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        if !text.isEmpty {
            while let last = parts.last, last.isEmpty { parts.removeLast() }
        }
        let width = padTo ?? parts.count
        var kept = Array(parts.prefix(keep))
        while kept.count < width { kept.append("x") }
        return kept.joined(separator: String(separator))
    }
}
