/// One fully decoded value of a MaxMind DB data section, with the exact type the file stores.
///
/// Building these allocates (strings, arrays, dictionaries); the per-event path reads single fields
/// through ``MaxMindRecord`` instead and only tests, tools and metadata decode whole values.
public enum MaxMindValue: Sendable, Hashable {
    /// Type 2.
    case string(String)
    /// Type 3, IEEE-754 binary64.
    case double(Double)
    /// Type 4.
    case bytes([UInt8])
    /// Type 5.
    case uint16(UInt16)
    /// Type 6.
    case uint32(UInt32)
    /// Type 7; keys are always strings. Key order is not kept.
    case map([String: MaxMindValue])
    /// Type 8, two's complement.
    case int32(Int32)
    /// Type 9.
    case uint64(UInt64)
    /// Type 10.
    case uint128(UInt128)
    /// Type 11.
    case array([MaxMindValue])
    /// Type 14.
    case boolean(Bool)
    /// Type 15, IEEE-754 binary32.
    case float(Float)

    /// The value of key `key` when this is a map.
    public subscript(key: String) -> MaxMindValue? {
        if case .map(let entries) = self { return entries[key] }
        return nil
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Any of the unsigned integer types, when the value fits in a `UInt64`.
    public var unsignedValue: UInt64? {
        switch self {
        case .uint16(let value): return UInt64(value)
        case .uint32(let value): return UInt64(value)
        case .uint64(let value): return value
        case .uint128(let value): return UInt64(exactly: value)
        case .int32(let value): return UInt64(exactly: value)
        default: return nil
        }
    }

    /// A double or float, widened to `Double`.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .float(let value): return Double(value)
        default: return nil
        }
    }
}
