/// The part of MessagePack (https://github.com/msgpack/msgpack/blob/master/spec.md) that the enricher
/// exchanges with Redis' Lua `cmsgpack` library: integers, strings, arrays and nil.
///
/// Why: a Lua script's arguments and answer otherwise travel as one RESP value each — thousands per
/// batch, each a separate allocation on both sides and an object in Redis. One MessagePack argument
/// and one MessagePack answer carry the same values in one buffer each; `cmsgpack.unpack` and
/// `cmsgpack.pack` turn them into Lua tables and back in C.
///
/// ``Writer`` emits only the formats Redis' `cmsgpack` has always read (fixstr, str16/str32 — which
/// older specs call raw16/raw32 — positive and negative fixint, int8…int64, uint8…uint64, fixarray,
/// array16/array32). ``Reader`` also reads str8, bin8/16/32 and nil; a double (Lua's numbers are
/// doubles; `cmsgpack` encodes integral ones as integers) is not an integer to it.
public enum MessagePack {
    /// Appends MessagePack values to a byte buffer.
    public struct Writer: Sendable {
        /// What was written so far.
        public private(set) var bytes: [UInt8] = []

        /// An empty buffer with room for `capacity` bytes.
        public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

        /// The header of an array of `count` elements (the elements follow).
        public mutating func appendArrayHeader(_ count: Int) {
            appendLengthHeader(count, fixed: 0x90, fixedLimit: 16, marker16: 0xdc, marker32: 0xdd)
        }

        /// Starts an array whose element count is not known yet: a five-byte array32 header, completed by
        /// ``endArray(startingAt:count:)`` with the offset this returns.
        public mutating func beginArray() -> Int {
            let start = bytes.count
            bytes.append(contentsOf: [0xdd, 0, 0, 0, 0])
            return start
        }

        /// Completes the header written by ``beginArray()`` at `start`: the array has `count` elements.
        public mutating func endArray(startingAt start: Int, count: Int) {
            precondition(bytes[start] == 0xdd && count >= 0 && count <= Int(UInt32.max), "not an open array")
            for index in 0..<4 { bytes[start + 1 + index] = UInt8(truncatingIfNeeded: count >> (8 * (3 - index))) }
        }

        /// `value` in the shortest integer form.
        public mutating func appendInteger(_ value: Int64) {
            if value >= 0 {
                let magnitude = UInt64(value)
                if magnitude < 0x80 {
                    bytes.append(UInt8(magnitude))
                } else if magnitude <= 0xff {
                    bytes.append(0xcc)
                    bytes.append(UInt8(magnitude))
                } else if magnitude <= 0xffff {
                    bytes.append(0xcd)
                    appendBigEndian(magnitude, byteCount: 2)
                } else if magnitude <= 0xffff_ffff {
                    bytes.append(0xce)
                    appendBigEndian(magnitude, byteCount: 4)
                } else {
                    bytes.append(0xcf)
                    appendBigEndian(magnitude, byteCount: 8)
                }
            } else if value >= -32 {
                bytes.append(UInt8(bitPattern: Int8(value)))
            } else if value >= -0x80 {
                bytes.append(0xd0)
                bytes.append(UInt8(bitPattern: Int8(value)))
            } else if value >= -0x8000 {
                bytes.append(0xd1)
                appendBigEndian(UInt64(bitPattern: value), byteCount: 2)
            } else if value >= -0x8000_0000 {
                bytes.append(0xd2)
                appendBigEndian(UInt64(bitPattern: value), byteCount: 4)
            } else {
                bytes.append(0xd3)
                appendBigEndian(UInt64(bitPattern: value), byteCount: 8)
            }
        }

        /// The UTF-8 of `text` as a string.
        public mutating func appendString(_ text: String) {
            var text = text
            text.withUTF8 { appendString(bytes: $0) }
        }

        /// `value` as a string (any bytes: Lua strings are byte strings).
        public mutating func appendString(bytes value: UnsafeBufferPointer<UInt8>) {
            appendStringHeader(value.count)
            bytes.append(contentsOf: value)
        }

        /// A string of exactly `byteCount` bytes that `body` appends to the buffer it is given (no
        /// intermediate copy).
        public mutating func appendString(byteCount: Int, _ body: (inout [UInt8]) -> Void) {
            appendStringHeader(byteCount)
            let start = bytes.count
            body(&bytes)
            precondition(bytes.count - start == byteCount, "string of \(bytes.count - start) bytes, announced \(byteCount)")
        }

        /// `value` as a string.
        public mutating func appendString(bytes value: [UInt8]) {
            appendStringHeader(value.count)
            bytes.append(contentsOf: value)
        }

        /// `value`, arrays element by element (nil as MessagePack nil, which Lua reads as `nil`).
        public mutating func append(_ value: Value) {
            switch value {
            case .integer(let number): appendInteger(number)
            case .string(let bytes): appendString(bytes: bytes)
            case .array(let elements):
                appendArrayHeader(elements.count)
                for element in elements { append(element) }
            case .nil: bytes.append(0xc0)
            }
        }

        private mutating func appendStringHeader(_ count: Int) {
            appendLengthHeader(count, fixed: 0xa0, fixedLimit: 32, marker16: 0xda, marker32: 0xdb)
        }

        /// A length in the fixed form (`fixed | count` below `fixedLimit`), else with a 16- or 32-bit length.
        private mutating func appendLengthHeader(_ count: Int, fixed: UInt8, fixedLimit: Int, marker16: UInt8, marker32: UInt8) {
            precondition(count >= 0 && count <= Int(UInt32.max), "length \(count)")
            if count < fixedLimit {
                bytes.append(fixed | UInt8(count))
            } else if count <= 0xffff {
                bytes.append(marker16)
                appendBigEndian(UInt64(count), byteCount: 2)
            } else {
                bytes.append(marker32)
                appendBigEndian(UInt64(count), byteCount: 4)
            }
        }

        private mutating func appendBigEndian(_ value: UInt64, byteCount: Int) {
            for shift in stride(from: (byteCount - 1) * 8, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            }
        }
    }

    /// A decoded value (``Reader/value()``): what tests and diagnostics compare; the hot paths read
    /// typed values one after another instead.
    public indirect enum Value: Sendable, Equatable {
        case integer(Int64)
        case string([UInt8])
        case array([Value])
        case `nil`
    }

    /// Reads MessagePack values one after another from a byte buffer. Every read returns `nil` — and
    /// leaves the position where it was — when the next value is not of the asked type or is cut short.
    public struct Reader: Sendable {
        private let bytes: [UInt8]
        /// The offset of the next value.
        public private(set) var position = 0

        public init(_ bytes: [UInt8]) { self.bytes = bytes }

        /// `true` when every byte has been read.
        public var isAtEnd: Bool { position == bytes.count }

        /// The element count of an array header.
        public mutating func arrayHeader() -> Int? {
            guard position < bytes.count else { return nil }
            let marker = bytes[position]
            switch marker {
            case 0x90...0x9f:
                position += 1
                return Int(marker & 0x0f)
            case 0xdc: return lengthFollowing(byteCount: 2)
            case 0xdd: return lengthFollowing(byteCount: 4)
            default: return nil
            }
        }

        /// An integer (any width; a uint64 above `Int64.max` is not one).
        public mutating func integer() -> Int64? {
            guard position < bytes.count else { return nil }
            let marker = bytes[position]
            switch marker {
            case 0x00...0x7f:
                position += 1
                return Int64(marker)
            case 0xe0...0xff:
                position += 1
                return Int64(Int8(bitPattern: marker))
            case 0xcc...0xcf:
                let count = 1 << Int(marker - 0xcc)
                guard let value = bigEndian(at: position + 1, byteCount: count), value <= UInt64(Int64.max) else {
                    return nil
                }
                position += 1 + count
                return Int64(value)
            case 0xd0...0xd3:
                let count = 1 << Int(marker - 0xd0)
                guard let value = bigEndian(at: position + 1, byteCount: count) else { return nil }
                position += 1 + count
                // Sign-extend from the value's width.
                let shift = UInt64(64 - 8 * count)
                return Int64(bitPattern: value << shift) >> Int64(shift)
            default: return nil
            }
        }

        /// The bytes of a string (or binary) value.
        public mutating func stringBytes() -> ArraySlice<UInt8>? {
            guard position < bytes.count else { return nil }
            let start = position
            let marker = bytes[position]
            let count: Int
            switch marker {
            case 0xa0...0xbf:
                position += 1
                count = Int(marker & 0x1f)
            case 0xd9, 0xc4:
                guard let length = lengthFollowing(byteCount: 1) else { return nil }
                count = length
            case 0xda, 0xc5:
                guard let length = lengthFollowing(byteCount: 2) else { return nil }
                count = length
            case 0xdb, 0xc6:
                guard let length = lengthFollowing(byteCount: 4) else { return nil }
                count = length
            default: return nil
            }
            guard count <= bytes.count - position else {
                position = start
                return nil
            }
            defer { position += count }
            return bytes[position..<position + count]
        }

        /// A string value as text (invalid UTF-8 repaired).
        public mutating func string() -> String? { stringBytes().map { String(decoding: $0, as: UTF8.self) } }

        /// Any value, arrays decoded recursively (at most `depth` levels).
        public mutating func value(depth: Int = 32) -> Value? {
            guard position < bytes.count, depth > 0 else { return nil }
            let start = position
            if bytes[position] == 0xc0 {
                position += 1
                return .nil
            }
            if let integer = integer() { return .integer(integer) }
            if let string = stringBytes() { return .string(Array(string)) }
            guard let count = arrayHeader() else { return nil }
            var elements: [Value] = []
            elements.reserveCapacity(min(count, bytes.count - position))
            for _ in 0..<count {
                guard let element = value(depth: depth - 1) else {
                    position = start
                    return nil
                }
                elements.append(element)
            }
            return .array(elements)
        }

        /// Reads a big-endian length of `byteCount` bytes after the marker; moves past both.
        private mutating func lengthFollowing(byteCount: Int) -> Int? {
            guard let length = bigEndian(at: position + 1, byteCount: byteCount) else { return nil }
            position += 1 + byteCount
            return Int(length)
        }

        private func bigEndian(at offset: Int, byteCount: Int) -> UInt64? {
            guard offset + byteCount <= bytes.count else { return nil }
            var value: UInt64 = 0
            for index in offset..<offset + byteCount { value = value << 8 | UInt64(bytes[index]) }
            return value
        }
    }
}
