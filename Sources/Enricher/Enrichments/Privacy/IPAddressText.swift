/// Textual IP address parsing with the rules of Guava's `InetAddresses.forString`, which Snowplow's
/// IP anonymisation uses to tell IPv4 from IPv6 and valid from invalid addresses.
///
/// Pure functions; safe to call from any thread.
enum IPAddressText {
    /// A dotted-quad IPv4 address: exactly four decimal parts of 1–3 digits, each ≤ 255, without leading
    /// zeros (Guava rejects `01.2.3.4` because octal/decimal is ambiguous).
    static func parseIPv4<Bytes: Collection>(_ text: Bytes) -> [UInt8]? where Bytes.Element == UInt8 {
        var octets: [UInt8] = []
        octets.reserveCapacity(4)
        var value = 0
        var digits = 0
        var leadingZero = false
        for c in text {
            if c == UInt8(ascii: ".") {
                guard digits > 0, octets.count < 3 else { return nil }
                octets.append(UInt8(value))
                value = 0
                digits = 0
                leadingZero = false
            } else if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                if digits == 1 && leadingZero { return nil }
                if digits == 0 && c == UInt8(ascii: "0") { leadingZero = true }
                digits += 1
                value = value * 10 + Int(c - UInt8(ascii: "0"))
                if digits > 3 || value > 255 { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, octets.count == 3 else { return nil }
        octets.append(UInt8(value))
        return octets
    }

    /// An IPv6 address (16 bytes), with Guava's rules: 3–9 colon-separated parts, at most one `::` that
    /// stands for at least one group, hextets of 1–4 hex digits, an optional trailing dotted IPv4.
    /// With `allowScope`, a `%zone` suffix is accepted and ignored (URI host literals only).
    static func parseIPv6<Bytes: Collection>(_ text: Bytes, allowScope: Bool = false) -> [UInt8]?
    where Bytes.Element == UInt8 {
        var chars = Array(text)
        if let percent = chars.firstIndex(of: UInt8(ascii: "%")) {
            guard allowScope, percent + 1 < chars.count else { return nil }
            chars = Array(chars[..<percent])
        }
        // A trailing IPv4 part becomes two hextets.
        if chars.contains(UInt8(ascii: ".")) {
            guard let lastColon = chars.lastIndex(of: UInt8(ascii: ":")),
                let v4 = parseIPv4(chars[(lastColon + 1)...])
            else { return nil }
            let hex = Array("0123456789abcdef".utf8)
            var tail: [UInt8] = Array(chars[...lastColon])
            tail += [hex[Int(v4[0] >> 4)], hex[Int(v4[0] & 15)], hex[Int(v4[1] >> 4)], hex[Int(v4[1] & 15)]]
            tail.append(UInt8(ascii: ":"))
            tail += [hex[Int(v4[2] >> 4)], hex[Int(v4[2] & 15)], hex[Int(v4[3] >> 4)], hex[Int(v4[3] & 15)]]
            chars = tail
        }
        let parts = chars.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.count <= 9 else { return nil }
        var skipIndex = -1
        for i in 1..<(parts.count - 1) where parts[i].isEmpty {
            if skipIndex >= 0 { return nil }
            skipIndex = i
        }
        var partsHi: Int
        var partsLo: Int
        if skipIndex >= 0 {
            partsHi = skipIndex
            partsLo = parts.count - skipIndex - 1
            if parts[0].isEmpty {
                partsHi -= 1
                if partsHi != 0 { return nil }
            }
            if parts[parts.count - 1].isEmpty {
                partsLo -= 1
                if partsLo != 0 { return nil }
            }
        } else {
            partsHi = parts.count
            partsLo = 0
        }
        let skipped = 8 - (partsHi + partsLo)
        guard skipIndex >= 0 ? skipped >= 1 : skipped == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        func appendHextet(_ part: ArraySlice<UInt8>) -> Bool {
            guard !part.isEmpty, part.count <= 4 else { return false }
            var value: UInt16 = 0
            for c in part {
                guard let digit = PercentDecoding.hexValue(c) else { return false }
                value = value << 4 | UInt16(digit)
            }
            bytes.append(UInt8(value >> 8))
            bytes.append(UInt8(value & 0xFF))
            return true
        }
        for i in 0..<partsHi {
            guard appendHextet(parts[i]) else { return nil }
        }
        bytes += [UInt8](repeating: 0, count: skipped * 2)
        for i in stride(from: partsLo, to: 0, by: -1) {
            guard appendHextet(parts[parts.count - i]) else { return nil }
        }
        return bytes.count == 16 ? bytes : nil
    }

    /// `true` for `::ffff:a.b.c.d` addresses, which Java turns into an `Inet4Address`.
    static func isIPv4Mapped(_ bytes: [UInt8]) -> Bool {
        bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
    }

    /// Java's `Inet6Address.getHostAddress`: eight lower-case hex groups without leading zeros and
    /// without `::` compression, e.g. `2605:2700:0:3:0:0:4713:93e3`.
    static func javaHostAddress(_ bytes: [UInt8]) -> String {
        var groups: [String] = []
        groups.reserveCapacity(8)
        for i in 0..<8 {
            groups.append(String(UInt16(bytes[2 * i]) << 8 | UInt16(bytes[2 * i + 1]), radix: 16))
        }
        return groups.joined(separator: ":")
    }
}
