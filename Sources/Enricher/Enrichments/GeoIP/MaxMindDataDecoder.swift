import Shared

/// Reads fields of one MaxMind DB data section (the data section proper, or the metadata section, whose
/// pointers count from its own start) out of the file's bytes, following the format specification's
/// "Output Data Section" chapter.
///
/// Every offset handled here is relative to the section start and every read is checked against the
/// section's end: a corrupt or truncated file produces a `geoip.invalid_database` error that says what was
/// wrong and at which file offset, never an out-of-bounds read. Containers may nest at most
/// ``maximumDepth`` deep, a pointer may not point to another pointer (the specification forbids it, and it
/// is how pointer loops would start), and one decode may produce at most ``maximumValues`` values, which
/// stops a small file from expanding through shared pointers into an enormous value.
///
/// The bytes are borrowed: the caller keeps the owning ``MaxMindDatabase`` alive while a decoder is used.
struct MaxMindDataDecoder {
    /// The specification's type numbers.
    enum FieldType: Int {
        case pointer = 1, utf8String = 2, double = 3, bytes = 4, uint16 = 5, uint32 = 6, map = 7
        case int32 = 8, uint64 = 9, uint128 = 10, array = 11, dataCacheContainer = 12, endMarker = 13
        case boolean = 14, float = 15
    }

    /// A field's control information: its type, its size (byte length, entry count, or for a pointer its
    /// target offset) and where its payload starts (for a pointer: the offset just after it).
    struct Field {
        var type: FieldType
        var size: Int
        var payload: Int
    }

    /// Deepest allowed nesting of maps and arrays. Real GeoIP2 records nest 4 deep.
    static let maximumDepth = 64
    /// Most values one decode may produce (stops pointer-sharing amplification).
    static let maximumValues = 1_000_000

    let file: MaxMindBytes
    /// File offset of the section's first byte; pointers count from here.
    let sectionStart: Int
    /// Number of bytes in the section.
    let sectionSize: Int
    /// "data section" or "metadata", for messages.
    let sectionName: String
    /// The file's name, for messages.
    let source: String

    func corrupt(_ what: String, at offset: Int) -> FreshetError {
        FreshetError(
            .geoipInvalidDatabase,
            "MaxMind DB \(source) is corrupt: \(what) (\(sectionName) offset \(offset), file offset \(sectionStart + offset)); replace the file"
        )
    }

    @inline(__always)
    func byte(_ offset: Int) throws -> Int {
        guard offset >= 0, offset < sectionSize else {
            throw corrupt("a field runs past the end of the \(sectionName) (\(sectionSize) bytes)", at: offset)
        }
        return Int(file[sectionStart + offset])
    }

    @inline(__always)
    func requireBytes(_ offset: Int, _ count: Int, for what: @autoclosure () -> String) throws {
        guard offset >= 0, count >= 0, count <= sectionSize, offset <= sectionSize - count else {
            throw corrupt("\(what()) of \(count) bytes runs past the end of the \(sectionName) (\(sectionSize) bytes)", at: offset)
        }
    }

    /// Big-endian unsigned integer of `count` (≤ 8) bytes at `offset`; bounds already checked.
    @inline(__always)
    func unsigned(_ offset: Int, _ count: Int) -> UInt64 {
        file.withBytes(sectionStart + offset, count) { bytes in
            var value: UInt64 = 0
            for byte in bytes { value = value << 8 | UInt64(byte) }
            return value
        }
    }

    /// Reads the control byte(s) of the field at `offset`.
    func field(at offset: Int) throws -> Field {
        let control = try byte(offset)
        var typeNumber = control >> 5
        var position = offset + 1
        if typeNumber == 0 {
            let extended = try byte(position)
            typeNumber = 7 + extended
            position += 1
            guard typeNumber >= 8 else {
                throw corrupt("extended type byte \(extended) names type \(typeNumber), which is not an extended type", at: offset)
            }
        }
        guard let type = FieldType(rawValue: typeNumber) else {
            throw corrupt("unknown data type \(typeNumber)", at: offset)
        }
        if type == .pointer {
            let sizeBits = (control >> 3) & 0x3
            let valueBits = UInt64(control & 0x7)
            try requireBytes(position, sizeBits + 1, for: "a pointer")
            let raw = unsigned(position, sizeBits + 1)
            let target: UInt64
            switch sizeBits {
            case 0: target = valueBits << 8 | raw
            case 1: target = (valueBits << 16 | raw) + 2048
            case 2: target = (valueBits << 24 | raw) + 526_336
            default: target = raw
            }
            return Field(type: .pointer, size: Int(target), payload: position + sizeBits + 1)
        }
        var size = control & 0x1F
        if size >= 29 {
            let extra = size - 28
            try requireBytes(position, extra, for: "a size")
            let raw = Int(unsigned(position, extra))
            size = extra == 1 ? 29 + raw : extra == 2 ? 285 + raw : 65_821 + raw
            position += extra
        }
        return Field(type: type, size: size, payload: position)
    }

    /// The field at `offset`, with a pointer followed to its target. `next` is the offset just after the
    /// field as it sits at `offset` (after the pointer itself when it was one).
    func resolvedField(at offset: Int) throws -> (field: Field, fieldOffset: Int, next: Int?) {
        let first = try field(at: offset)
        guard first.type == .pointer else { return (first, offset, nil) }
        let target = first.size
        guard target < sectionSize else {
            throw corrupt("pointer to offset \(target) lies outside the \(sectionName) (\(sectionSize) bytes)", at: offset)
        }
        let second = try field(at: target)
        if second.type == .pointer {
            throw corrupt("pointer to offset \(target) points to another pointer (a pointer loop or an invalid chain)", at: offset)
        }
        return (second, target, first.payload)
    }

    /// The offset just after the value at `offset`, without following pointers (a pointer is 2–5 bytes).
    func skip(_ offset: Int, depth: Int = 0) throws -> Int {
        let field = try field(at: offset)
        switch field.type {
        case .pointer:
            return field.payload
        case .map, .array:
            guard depth < Self.maximumDepth else {
                throw corrupt("maps and arrays nest deeper than \(Self.maximumDepth) levels", at: offset)
            }
            var position = field.payload
            let items = field.type == .map ? field.size * 2 : field.size
            for _ in 0..<items {
                position = try skip(position, depth: depth + 1)
            }
            return position
        case .boolean:
            guard field.size <= 1 else { throw corrupt("boolean of size \(field.size) (must be 0 or 1)", at: offset) }
            return field.payload
        case .dataCacheContainer, .endMarker:
            throw corrupt("deprecated type \(field.type.rawValue) (\(field.type)) is not supported in data", at: offset)
        default:
            try checkFixedSize(field, at: offset)
            try requireBytes(field.payload, field.size, for: "a \(field.type) payload")
            return field.payload + field.size
        }
    }

    func checkFixedSize(_ field: Field, at offset: Int) throws {
        let allowed: ClosedRange<Int>
        switch field.type {
        case .double: allowed = 8...8
        case .float: allowed = 4...4
        case .uint16: allowed = 0...2
        case .uint32, .int32: allowed = 0...4
        case .uint64: allowed = 0...8
        case .uint128: allowed = 0...16
        default: return
        }
        guard allowed.contains(field.size) else {
            throw corrupt("\(field.type) with payload size \(field.size) (allowed: \(allowed.lowerBound)–\(allowed.upperBound) bytes)", at: offset)
        }
    }

    /// Finds `key` in the map at `offset` (following a pointer to the map) and returns the offset of its
    /// value (unresolved; it may be a pointer), or `nil` when the map has no such key. Throws when the value
    /// at `offset` is not a map or the map is corrupt.
    func mapValue(at offset: Int, key: UnsafeBufferPointer<UInt8>) throws -> Int? {
        let (map, _, _) = try resolvedField(at: offset)
        guard map.type == .map else { return nil }
        var position = map.payload
        for _ in 0..<map.size {
            let (keyField, keyOffset, afterPointer) = try resolvedField(at: position)
            guard keyField.type == .utf8String else {
                throw corrupt("map key is a \(keyField.type), not a string", at: keyOffset)
            }
            try requireBytes(keyField.payload, keyField.size, for: "a map key")
            let valueOffset = afterPointer ?? keyField.payload + keyField.size
            if keyField.size == key.count, memoryEqual(sectionStart + keyField.payload, key) {
                return valueOffset
            }
            position = try skip(valueOffset)
        }
        return nil
    }

    /// The offset of element `index` of the array at `offset` (negative counts from the end), or `nil`
    /// when the value is not an array or has no such element.
    func arrayElement(at offset: Int, index: Int) throws -> Int? {
        let (array, _, _) = try resolvedField(at: offset)
        guard array.type == .array else { return nil }
        let wanted = index < 0 ? array.size + index : index
        guard wanted >= 0, wanted < array.size else { return nil }
        var position = array.payload
        for _ in 0..<wanted {
            position = try skip(position)
        }
        return position
    }

    @inline(__always)
    private func memoryEqual(_ fileOffset: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        file.withBytes(fileOffset, key.count) { bytes in
            var index = 0
            while index < key.count {
                if bytes[index] != key[index] { return false }
                index += 1
            }
            return true
        }
    }

    /// Decodes the string at `offset` (following a pointer); `nil` when the value is not a string.
    func string(at offset: Int) throws -> String? {
        let (field, fieldOffset, _) = try resolvedField(at: offset)
        guard field.type == .utf8String else { return nil }
        return try decodeString(field, at: fieldOffset)
    }

    /// Decodes the number (double, float or integer) at `offset` as a `Double`; `nil` for other types.
    func double(at offset: Int) throws -> Double? {
        var budget = 1
        let (field, fieldOffset, _) = try resolvedField(at: offset)
        switch field.type {
        case .double, .float, .uint16, .uint32, .int32, .uint64, .uint128:
            switch try decodeValue(field, at: fieldOffset, depth: 0, budget: &budget).value {
            case .double(let value): return value
            case .float(let value): return Double(value)
            case .int32(let value): return Double(value)
            case .uint128(let value): return Double(value)
            case let other: return other.unsignedValue.map(Double.init)
            }
        default:
            return nil
        }
    }

    /// Decodes the unsigned integer at `offset`; `nil` for other types or when it exceeds `UInt64`.
    func unsignedInteger(at offset: Int) throws -> UInt64? {
        var budget = 1
        let (field, fieldOffset, _) = try resolvedField(at: offset)
        switch field.type {
        case .uint16, .uint32, .uint64, .uint128, .int32:
            return try decodeValue(field, at: fieldOffset, depth: 0, budget: &budget).value.unsignedValue
        default:
            return nil
        }
    }

    /// Decodes the whole value at `offset`, following pointers.
    func decode(at offset: Int) throws -> MaxMindValue {
        var budget = Self.maximumValues
        return try decode(at: offset, depth: 0, budget: &budget).value
    }

    /// Decodes the value at `offset` and returns it with the offset just after it (after the pointer when
    /// the value was reached through one).
    func decode(at offset: Int, depth: Int, budget: inout Int) throws -> (value: MaxMindValue, next: Int) {
        let (field, fieldOffset, afterPointer) = try resolvedField(at: offset)
        let (value, end) = try decodeValue(field, at: fieldOffset, depth: depth, budget: &budget)
        return (value, afterPointer ?? end)
    }

    private func decodeString(_ field: Field, at offset: Int) throws -> String {
        try requireBytes(field.payload, field.size, for: "a string")
        let text = file.withBytes(sectionStart + field.payload, field.size) { String(validating: $0, as: UTF8.self) }
        guard let text else {
            throw corrupt("string of \(field.size) bytes is not valid UTF-8", at: offset)
        }
        return text
    }

    private func decodeValue(
        _ field: Field, at offset: Int, depth: Int, budget: inout Int
    ) throws -> (value: MaxMindValue, end: Int) {
        budget -= 1
        guard budget >= 0 else {
            throw corrupt("the value expands to more than \(Self.maximumValues) values (pointer amplification)", at: offset)
        }
        switch field.type {
        case .utf8String:
            return (.string(try decodeString(field, at: offset)), field.payload + field.size)
        case .map:
            guard depth < Self.maximumDepth else {
                throw corrupt("maps and arrays nest deeper than \(Self.maximumDepth) levels", at: offset)
            }
            var entries: [String: MaxMindValue] = [:]
            entries.reserveCapacity(min(field.size, 64))
            var position = field.payload
            for _ in 0..<field.size {
                let (keyField, keyOffset, afterPointer) = try resolvedField(at: position)
                guard keyField.type == .utf8String else {
                    throw corrupt("map key is a \(keyField.type), not a string", at: keyOffset)
                }
                let key = try decodeString(keyField, at: keyOffset)
                let valueOffset = afterPointer ?? keyField.payload + keyField.size
                let (value, next) = try decode(at: valueOffset, depth: depth + 1, budget: &budget)
                entries[key] = value
                position = next
            }
            return (.map(entries), position)
        case .array:
            guard depth < Self.maximumDepth else {
                throw corrupt("maps and arrays nest deeper than \(Self.maximumDepth) levels", at: offset)
            }
            var elements: [MaxMindValue] = []
            elements.reserveCapacity(min(field.size, 64))
            var position = field.payload
            for _ in 0..<field.size {
                let (value, next) = try decode(at: position, depth: depth + 1, budget: &budget)
                elements.append(value)
                position = next
            }
            return (.array(elements), position)
        case .boolean:
            guard field.size <= 1 else { throw corrupt("boolean of size \(field.size) (must be 0 or 1)", at: offset) }
            return (.boolean(field.size == 1), field.payload)
        case .bytes:
            try requireBytes(field.payload, field.size, for: "a byte string")
            return (.bytes(file.withBytes(sectionStart + field.payload, field.size) { Array($0) }), field.payload + field.size)
        case .double:
            try checkFixedSize(field, at: offset)
            try requireBytes(field.payload, 8, for: "a double")
            return (.double(Double(bitPattern: unsigned(field.payload, 8))), field.payload + 8)
        case .float:
            try checkFixedSize(field, at: offset)
            try requireBytes(field.payload, 4, for: "a float")
            return (.float(Float(bitPattern: UInt32(unsigned(field.payload, 4)))), field.payload + 4)
        case .uint16, .uint32, .uint64, .int32:
            try checkFixedSize(field, at: offset)
            try requireBytes(field.payload, field.size, for: "an integer")
            let raw = unsigned(field.payload, field.size)
            let end = field.payload + field.size
            switch field.type {
            case .uint16: return (.uint16(UInt16(raw)), end)
            case .uint32: return (.uint32(UInt32(raw)), end)
            case .uint64: return (.uint64(raw), end)
            default:
                // Shorter than 4 bytes is always positive; 4 bytes is two's complement.
                return (.int32(Int32(bitPattern: UInt32(raw))), end)
            }
        case .uint128:
            try checkFixedSize(field, at: offset)
            try requireBytes(field.payload, field.size, for: "an integer")
            var value: UInt128 = 0
            for index in 0..<field.size {
                value = value << 8 | UInt128(file[sectionStart + field.payload + index])
            }
            return (.uint128(value), field.payload + field.size)
        case .dataCacheContainer, .endMarker:
            throw corrupt("deprecated type \(field.type.rawValue) (\(field.type)) is not supported in data", at: offset)
        case .pointer:
            // resolvedField never returns a pointer.
            throw corrupt("pointer points to another pointer", at: offset)
        }
    }
}
