/// Random version-4 UUIDs for events that arrive without an `eid`, formatted lower-case
/// (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`) without going through Foundation.
///
/// Uses the system's cryptographically secure generator; safe from any thread.
enum EventIdentifier {
    /// A fresh random UUID v4.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = (UInt64(generator.next()) & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (UInt64(generator.next()) & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibble < 16 ? high : low
                let value = UInt8((word >> UInt64((15 - nibble % 16) * 4)) & 0xF)
                buffer[position] = value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
                position += 1
            }
            return position
        }
    }
}
