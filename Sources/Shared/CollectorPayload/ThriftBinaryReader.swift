/// A bounds-checked cursor over Thrift TBinaryProtocol bytes.
///
/// Every read first checks that the bytes it needs are there, so no input — truncated, corrupted or
/// hostile — can make it read outside `bytes`; declared lengths and element counts are compared with
/// the bytes left before anything is allocated for them. Failures are `throws(CollectorPayloadDecodingError)`
/// internally; the public API turns them into returned values.
///
/// Valid only while the memory behind `bytes` is (inside the caller's `withUnsafeBytes` closure).
struct ThriftBinaryReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    /// Makes sure `count` more bytes are available.
    @inline(__always)
    private func require(_ count: Int) throws(CollectorPayloadDecodingError) {
        if count > bytes.count - offset { throw .truncated(offset: bytes.count) }
    }

    @inline(__always)
    mutating func readByte() throws(CollectorPayloadDecodingError) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    mutating func readI16() throws(CollectorPayloadDecodingError) -> Int16 {
        try require(2)
        let value = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
        offset += 2
        return Int16(bitPattern: value)
    }

    @inline(__always)
    mutating func readI32() throws(CollectorPayloadDecodingError) -> Int32 {
        try require(4)
        let value = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        offset += 4
        return Int32(bitPattern: value)
    }

    @inline(__always)
    mutating func readI64() throws(CollectorPayloadDecodingError) -> Int64 {
        try require(8)
        let value = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        offset += 8
        return Int64(bitPattern: value)
    }

    /// Reads a field header: the type tag, and for anything but STOP the big-endian i16 field id.
    @inline(__always)
    mutating func readFieldHeader() throws(CollectorPayloadDecodingError) -> (tag: UInt8, id: Int16) {
        let tag = try readByte()
        if tag == ThriftFieldType.stop.rawValue { return (tag, 0) }
        return (tag, try readI16())
    }

    /// Reads an i32 length or count that must be ≥ 0 and, with each unit taking at least
    /// `minimumUnitSize` bytes, must fit in what is left.
    @inline(__always)
    mutating func readLength(minimumUnitSize: Int) throws(CollectorPayloadDecodingError) -> Int {
        let start = offset
        let length = try readI32()
        if length < 0 { throw .negativeLength(offset: start, length: length) }
        let count = Int(length)
        if count * minimumUnitSize > remaining { throw .truncated(offset: bytes.count) }
        return count
    }

    /// Moves past `count` bytes that ``readLength(minimumUnitSize:)`` already checked are there.
    @inline(__always)
    mutating func skipBytes(_ count: Int) throws(CollectorPayloadDecodingError) {
        try require(count)
        offset += count
    }

    /// Reads a string (i32 length + bytes) as text. Invalid UTF-8 is repaired with U+FFFD, as the Java
    /// Thrift library does when it decodes a `string`.
    @inline(__always)
    mutating func readString() throws(CollectorPayloadDecodingError) -> String {
        let count = try readLength(minimumUnitSize: 1)
        guard count > 0, let base = bytes.baseAddress else { return "" }
        let source = base + offset
        offset += count
        return String(unsafeUninitializedCapacity: count) { target in
            target.baseAddress!.initialize(from: source.assumingMemoryBound(to: UInt8.self), count: count)
            return count
        }
    }

    /// Skips a value of type `tag`, whatever it holds. Structs and containers may nest at most
    /// `depth` levels (the recursion is bounded, so hostile input cannot exhaust the stack); every
    /// element takes at least one byte, so the work is bounded by the input size.
    mutating func skip(tag: UInt8, depth: Int) throws(CollectorPayloadDecodingError) {
        guard let type = ThriftFieldType(rawValue: tag), type != .stop else {
            throw .unknownType(offset: offset, tag: tag)
        }
        if let width = type.fixedWidth {
            try require(width)
            offset += width
            return
        }
        switch type {
        case .string:
            offset += try readLength(minimumUnitSize: 1)
        case .struct:
            if depth <= 0 { throw .nestingTooDeep(offset: offset) }
            while true {
                let header = try readFieldHeader()
                if header.tag == ThriftFieldType.stop.rawValue { return }
                try skip(tag: header.tag, depth: depth - 1)
            }
        case .map:
            if depth <= 0 { throw .nestingTooDeep(offset: offset) }
            let keyTag = try readByte()
            let valueTag = try readByte()
            let count = try readLength(minimumUnitSize: 2)
            try skipElements(count: count, keyTag, valueTag, depth: depth - 1)
        case .set, .list:
            if depth <= 0 { throw .nestingTooDeep(offset: offset) }
            let elementTag = try readByte()
            let count = try readLength(minimumUnitSize: 1)
            try skipElements(count: count, elementTag, nil, depth: depth - 1)
        case .stop, .bool, .byte, .double, .i16, .i32, .i64, .uuid:
            break  // handled above
        }
    }

    /// Skips `count` container elements: values of type `first` (lists, sets), or `first`/`second`
    /// pairs (maps).
    private mutating func skipElements(
        count: Int, _ first: UInt8, _ second: UInt8?, depth: Int
    ) throws(CollectorPayloadDecodingError) {
        if count == 0 { return }  // Thrift does not look at the element types of an empty container.
        guard let firstType = ThriftFieldType(rawValue: first), firstType != .stop else {
            throw .unknownType(offset: offset, tag: first)
        }
        var width = firstType.fixedWidth
        if let second {
            guard let secondType = ThriftFieldType(rawValue: second), secondType != .stop else {
                throw .unknownType(offset: offset, tag: second)
            }
            width = width.flatMap { a in secondType.fixedWidth.map { a + $0 } }
        }
        if let width {  // Fixed-size elements: one bounds check, one jump (count ≤ Int32.max, no overflow).
            try require(count * width)
            offset += count * width
            return
        }
        for _ in 0..<count {
            try skip(tag: first, depth: depth)
            if let second { try skip(tag: second, depth: depth) }
        }
    }
}
