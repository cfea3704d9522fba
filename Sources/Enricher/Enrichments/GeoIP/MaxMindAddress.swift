/// An IPv4 or IPv6 address in the form a MaxMind DB search-tree walk takes: its bits, most significant
/// first, and whether it is 32 or 128 bits long.
///
/// Parsing works on UTF-8 bytes and accepts the textual forms found in collector payloads: dotted IPv4
/// (`203.0.113.9`), IPv6 with `::` compression and an optional trailing dotted IPv4 (`::ffff:1.2.3.4`), an
/// optional zone (`fe80::1%eth0`, dropped) and optional brackets (`[2001:db8::1]`). Anything else is
/// rejected (`nil`): host names are never resolved.
public struct MaxMindAddress: Sendable, Hashable, CustomStringConvertible {
    /// The upper 64 bits of an IPv6 address; 0 for IPv4.
    public let high: UInt64
    /// The lower 64 bits of an IPv6 address, or the IPv4 address in the lowest 32 bits.
    public let low: UInt64
    /// `true` for a 32-bit IPv4 address.
    public let isIPv4: Bool

    /// An IPv4 address from its 32-bit big-endian value (`0x01020304` is `1.2.3.4`).
    public init(ipv4 value: UInt32) {
        self.high = 0
        self.low = UInt64(value)
        self.isIPv4 = true
    }

    /// An IPv6 address from its upper and lower 64 bits.
    public init(ipv6High high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
        self.isIPv4 = false
    }

    /// Parses an IPv4 or IPv6 address; `nil` when `text` is not one.
    public init?(_ text: some StringProtocol) {
        var copy = String(text)
        let parsed = copy.withUTF8 { MaxMindAddress(utf8: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses an IPv4 or IPv6 address from UTF-8 bytes; `nil` when they are not one.
    public init?(utf8 input: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var end = input.count
        if end >= 2, input[0] == UInt8(ascii: "["), input[end - 1] == UInt8(ascii: "]") {
            start = 1
            end -= 1
        }
        // A zone identifier ("%eth0") says which link a link-local address is on; it is not part of the address.
        if let percent = input[start..<end].firstIndex(of: UInt8(ascii: "%")) { end = percent }
        guard start < end else { return nil }
        if input[start..<end].contains(UInt8(ascii: ":")) {
            guard let (high, low) = Self.parseIPv6(input, start, end) else { return nil }
            self.init(ipv6High: high, low: low)
        } else {
            guard let value = Self.parseIPv4(input, start, end) else { return nil }
            self.init(ipv4: value)
        }
    }

    /// The number of bits a lookup walks: 32 or 128.
    public var bitCount: Int { isIPv4 ? 32 : 128 }

    /// The bit at `index` (0 is the most significant), as 0 or 1.
    @inline(__always)
    public func bit(_ index: Int) -> Int {
        if isIPv4 { return Int(truncatingIfNeeded: (low >> UInt64(31 - index)) & 1) }
        if index < 64 { return Int(truncatingIfNeeded: (high >> UInt64(63 - index)) & 1) }
        return Int(truncatingIfNeeded: (low >> UInt64(127 - index)) & 1)
    }

    /// For an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), the IPv4 address it carries; otherwise `self`.
    /// This is what Java's `InetAddress` (and so Snowplow's lookups) does with such addresses.
    public var unmappingIPv4: MaxMindAddress {
        if !isIPv4, high == 0, low >> 32 == 0xFFFF { return MaxMindAddress(ipv4: UInt32(truncatingIfNeeded: low)) }
        return self
    }

    /// Dotted IPv4, or IPv6 as eight uncompressed hexadecimal groups (`2001:db8:0:0:0:0:0:1`).
    public var description: String {
        if isIPv4 {
            let value = UInt32(truncatingIfNeeded: low)
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        }
        var groups: [String] = []
        for index in 0..<8 {
            let word = index < 4 ? high : low
            let shift = UInt64(48 - (index % 4) * 16)
            groups.append(String((word >> shift) & 0xFFFF, radix: 16))
        }
        return groups.joined(separator: ":")
    }

    private static func parseIPv4(_ input: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        var index = start
        while index <= end {
            let byte: UInt8 = index < end ? input[index] : UInt8(ascii: ".")
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits += 1
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                if digits > 3 || current > 255 { return nil }
            } else if byte == UInt8(ascii: ".") {
                if digits == 0 || octets == 4 { return nil }
                value = value << 8 | current
                octets += 1
                current = 0
                digits = 0
            } else {
                return nil
            }
            index += 1
        }
        return octets == 4 ? value : nil
    }

    private static func parseIPv6(_ input: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (UInt64, UInt64)? {
        var groups = [UInt16](repeating: 0, count: 8)
        var count = 0
        var gapAt: Int? = nil
        var index = start
        if end - start >= 2, input[start] == UInt8(ascii: ":"), input[start + 1] == UInt8(ascii: ":") {
            gapAt = 0
            index += 2
            if index == end { return (0, 0) }
        } else if input[start] == UInt8(ascii: ":") {
            return nil
        }
        while index < end {
            // Either a hexadecimal group or, as the last part, a dotted IPv4 address.
            var groupEnd = index
            var sawDot = false
            while groupEnd < end, input[groupEnd] != UInt8(ascii: ":") {
                if input[groupEnd] == UInt8(ascii: ".") { sawDot = true }
                groupEnd += 1
            }
            if sawDot {
                guard groupEnd == end, count <= 6, let v4 = parseIPv4(input, index, groupEnd) else { return nil }
                groups[count] = UInt16(v4 >> 16)
                groups[count + 1] = UInt16(v4 & 0xFFFF)
                count += 2
                index = end
                break
            }
            let length = groupEnd - index
            guard length >= 1, length <= 4, count < 8 else { return nil }
            var group: UInt16 = 0
            for position in index..<groupEnd {
                guard let nibble = hexValue(input[position]) else { return nil }
                group = group << 4 | UInt16(nibble)
            }
            groups[count] = group
            count += 1
            index = groupEnd
            if index < end {
                // At a ':'; "::" marks the gap (only once), a trailing single ':' is an error.
                index += 1
                if index < end, input[index] == UInt8(ascii: ":") {
                    guard gapAt == nil else { return nil }
                    gapAt = count
                    index += 1
                } else if index == end {
                    return nil
                }
            }
        }
        if let gapAt {
            guard count < 8 else { return nil }
            let tail = Array(groups[gapAt..<count])
            for position in gapAt..<8 { groups[position] = 0 }
            for (offset, group) in tail.enumerated() { groups[8 - tail.count + offset] = group }
        } else if count != 8 {
            return nil
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for position in 0..<4 { high = high << 16 | UInt64(groups[position]) }
        for position in 4..<8 { low = low << 16 | UInt64(groups[position]) }
        return (high, low)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
