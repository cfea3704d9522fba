/// Appends values in ClickHouse's `RowBinary` format (little-endian, no separators): what the loader
/// sends, because the server reads it with the least work.
///
/// `String` is a LEB128 length then the bytes; `Nullable(T)` a `0`/`1` byte then `T` when not null;
/// `UUID` two little-endian `UInt64`s, high half first; `DateTime` a `UInt32` of seconds;
/// `DateTime64(3)` an `Int64` of milliseconds; `Decimal(38, S)` an `Int128` of the value × 10^S.
///
/// A plain value that owns its buffer; not shared between threads.
struct RowBinaryWriter: Sendable {
    private(set) var bytes: [UInt8]

    init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    /// Drops everything after the first `count` bytes (undoes a partly written row).
    mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
    }

    /// Empties the writer, keeping its buffer (no new allocation when the buffer is not shared).
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Hands the buffer over and leaves the writer empty with the same capacity reserved.
    mutating func take(reserving capacity: Int) -> [UInt8] {
        defer { bytes = []; bytes.reserveCapacity(capacity) }
        return bytes
    }

    mutating func appendNull() { bytes.append(1) }
    mutating func appendNotNull() { bytes.append(0) }

    mutating func appendVarUInt(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func appendString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            appendVarUInt(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func appendBytes(_ value: some Collection<UInt8>) {
        appendVarUInt(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func appendUInt8(_ value: UInt8) { bytes.append(value) }

    mutating func appendFixed<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendFloat64(_ value: Double) { appendFixed(value.bitPattern) }

    /// A UUID given as its two 64-bit halves.
    mutating func appendUUID(high: UInt64, low: UInt64) {
        appendFixed(high)
        appendFixed(low)
    }

    mutating func appendInt128(_ value: Int128) {
        appendFixed(UInt64(truncatingIfNeeded: value))
        appendFixed(UInt64(truncatingIfNeeded: value >> 64))
    }
}
