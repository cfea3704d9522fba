/// Writes Thrift TBinaryProtocol values into memory that the caller has sized exactly beforehand
/// (see `CollectorPayload.thriftEncodedSize`).
///
/// The format, as Apache Thrift's `TBinaryProtocol` writes it (big-endian throughout): a field is its
/// type tag (1 byte) and id (i16) followed by the value; a string is an i32 byte count and the UTF-8
/// bytes; a list is the element type tag (1 byte) and an i32 count followed by the elements; a struct
/// ends with a STOP byte (0).
///
/// Valid only inside the closure that owns `buffer`.
struct ThriftBinaryWriter {
    let buffer: UnsafeMutableRawBufferPointer
    private(set) var offset = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        self.buffer = buffer
    }

    /// Encoded size of a field header.
    static let fieldHeaderSize = 3
    /// Encoded size of a string holding `utf8Count` bytes.
    @inline(__always)
    static func stringSize(utf8Count: Int) -> Int { 4 + utf8Count }

    @inline(__always)
    mutating func writeByte(_ value: UInt8) {
        precondition(offset < buffer.count, "ThriftBinaryWriter: buffer sized too small")
        buffer[offset] = value
        offset += 1
    }

    @inline(__always)
    mutating func writeFieldHeader(_ type: ThriftFieldType, id: Int16) {
        precondition(buffer.count - offset >= 3, "ThriftBinaryWriter: buffer sized too small")
        buffer[offset] = type.rawValue
        buffer.storeBytes(of: UInt16(bitPattern: id).bigEndian, toByteOffset: offset + 1, as: UInt16.self)
        offset += 3
    }

    @inline(__always)
    mutating func writeI32(_ value: Int32) {
        precondition(buffer.count - offset >= 4, "ThriftBinaryWriter: buffer sized too small")
        buffer.storeBytes(of: UInt32(bitPattern: value).bigEndian, toByteOffset: offset, as: UInt32.self)
        offset += 4
    }

    @inline(__always)
    mutating func writeI64(_ value: Int64) {
        precondition(buffer.count - offset >= 8, "ThriftBinaryWriter: buffer sized too small")
        buffer.storeBytes(of: UInt64(bitPattern: value).bigEndian, toByteOffset: offset, as: UInt64.self)
        offset += 8
    }

    /// Writes `string` as i32 byte count + UTF-8 bytes.
    @inline(__always)
    mutating func writeString(_ string: String) {
        let count = string.utf8.count
        writeI32(Int32(truncatingIfNeeded: count))
        precondition(buffer.count - offset >= count, "ThriftBinaryWriter: buffer sized too small")
        let target = buffer.baseAddress! + offset
        let copied = string.utf8.withContiguousStorageIfAvailable { utf8 in
            if let source = utf8.baseAddress { target.copyMemory(from: source, byteCount: count) }
            return true
        }
        if copied == nil {  // A String without contiguous UTF-8 storage (bridged): copy by iteration.
            var index = offset
            for byte in string.utf8 {
                buffer[index] = byte
                index += 1
            }
        }
        offset += count
    }
}
