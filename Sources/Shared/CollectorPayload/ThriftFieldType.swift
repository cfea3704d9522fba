/// The type tags of Thrift's binary protocol (`TType` in the Apache Thrift libraries).
///
/// Only the collector payload's own fields use `string`, `i64` and `list`; the others exist so the
/// decoder can skip fields a future version of the IDL might add.
enum ThriftFieldType: UInt8 {
    case stop = 0
    case bool = 2
    case byte = 3
    case double = 4
    case i16 = 6
    case i32 = 8
    case i64 = 10
    case string = 11
    case `struct` = 12
    case map = 13
    case set = 14
    case list = 15
    /// Added in Apache Thrift 0.19 (16 bytes in the binary protocol).
    case uuid = 16

    /// Bytes a value of this type occupies, when that size is fixed.
    var fixedWidth: Int? {
        switch self {
        case .bool, .byte: 1
        case .i16: 2
        case .i32: 4
        case .double, .i64: 8
        case .uuid: 16
        case .stop, .string, .struct, .map, .set, .list: nil
        }
    }
}
