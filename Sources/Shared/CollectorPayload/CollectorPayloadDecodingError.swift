/// Why a byte sequence is not a valid Thrift-encoded ``CollectorPayload``.
///
/// Returned (never thrown) by ``CollectorPayload/decode(thrift:)``: bad input becomes a
/// `collector_payload_format_violation` bad row, it is not a failure of the program. Offsets are
/// byte positions in the input where the problem was found.
public enum CollectorPayloadDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input ended in the middle of a value (or before the closing STOP byte).
    case truncated(offset: Int)
    /// A string or container declared a negative length.
    case negativeLength(offset: Int, length: Int32)
    /// A field or container element carries a type tag that is not a Thrift type.
    case unknownType(offset: Int, tag: UInt8)
    /// Unknown fields nest structs or containers deeper than ``CollectorPayload/maximumSkipDepth``.
    case nestingTooDeep(offset: Int)
    /// The `headers` list holds elements that are not strings.
    case wrongHeaderElementType(offset: Int, tag: UInt8)
    /// A field the collector always writes (schema, ipAddress, timestamp, encoding, collector) is absent
    /// (or present with the wrong Thrift type, which Thrift's generated readers skip).
    case missingRequiredField(id: Int16, name: String)

    /// The text enrich would put after `error deserializing raw event: ` in the bad row.
    public var description: String {
        switch self {
        case .truncated(let offset):
            "Reached end of bytes when parsing as thrift format (at byte \(offset))"
        case .negativeLength(let offset, let length):
            "Negative length: \(length) (at byte \(offset))"
        case .unknownType(let offset, let tag):
            "Unrecognized type \(tag) (at byte \(offset))"
        case .nestingTooDeep(let offset):
            "Maximum skip depth exceeded (at byte \(offset))"
        case .wrongHeaderElementType(let offset, let tag):
            "headers list has elements of type \(tag), expected string (at byte \(offset))"
        case .missingRequiredField(let id, let name):
            "Required field '\(name)' (id \(id)) was not found in serialized data"
        }
    }
}
