/// A parsed JSON value with numbers kept as their original text, and a strict RFC 8259 parser for it.
///
/// Used to read self-describing JSON columns of enriched events and to read bad rows back; not a
/// general-purpose JSON library (a project-wide JSON value type may replace it). Object members keep
/// their order and duplicates; lookups by key take the last duplicate, as Python's `json` does.
/// Nesting is limited to ``maximumDepth`` levels so hostile input cannot exhaust the stack.
enum CompactJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number, exactly as written (always valid JSON number syntax).
    case number(String)
    case string(String)
    case array([CompactJSON])
    case object([Member])

    /// One `"key": value` pair of an object.
    struct Member: Equatable, Sendable {
        var key: String
        var value: CompactJSON
    }

    /// The deepest nesting of arrays and objects the parser accepts.
    static let maximumDepth = 256

    /// The value of the last member named `key`, if this is an object that has one.
    subscript(key: String) -> CompactJSON? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var arrayValue: [CompactJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// The compact serialization of this value.
    var compactText: String {
        var writer = CompactJSONWriter(capacity: 128)
        writer.value(self)
        return writer.string
    }

    /// Parses one JSON document (surrounding whitespace allowed). `nil` if `text` is not valid JSON.
    static func parse(_ text: String) -> CompactJSON? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses one JSON document from UTF-8 bytes. `nil` if they are not valid JSON.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> CompactJSON? {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        guard let value = parser.parseValue(depth: 0) else { return nil }
        parser.skipWhitespace()
        return parser.index == bytes.count ? value : nil
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func consume(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            let matches = literal.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
            }
            if matches { index += count }
            return matches
        }

        mutating func parseValue(depth: Int) -> CompactJSON? {
            guard index < bytes.count, depth <= CompactJSON.maximumDepth else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return parseString().map(CompactJSON.string)
            case UInt8(ascii: "t"): return consume("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return consume("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return consume("null") ? .null : nil
            default: return parseNumber()
            }
        }

        mutating func parseObject(depth: Int) -> CompactJSON? {
            index += 1  // {
            var members: [Member] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = parseString() else { return nil }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                skipWhitespace()
                guard let value = parseValue(depth: depth) else { return nil }
                members.append(Member(key: key, value: value))
                skipWhitespace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                } else {
                    return nil
                }
            }
        }

        mutating func parseArray(depth: Int) -> CompactJSON? {
            index += 1  // [
            var elements: [CompactJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                guard let value = parseValue(depth: depth) else { return nil }
                elements.append(value)
                skipWhitespace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                } else {
                    return nil
                }
            }
        }

        mutating func parseNumber() -> CompactJSON? {
            let start = index
            while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            guard SnowplowDecimal.isJSONNumber(slice) else { return nil }
            return .number(String(decoding: slice, as: UTF8.self))
        }

        static func isNumberByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                return true
            default:
                return false
            }
        }

        /// Parses a string starting at the opening quote; validates UTF-8 and escapes.
        mutating func parseString() -> String? {
            index += 1  // opening quote
            var result: [UInt8] = []
            var runStart = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    result.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                    index += 1
                    return String(validating: result, as: UTF8.self)
                }
                if byte < 0x20 { return nil }
                if byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                result.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): result.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): result.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): result.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = parseHex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        let save = index
                        index += 2
                        if let low = parseHex4(), (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = save
                        }
                    }
                    // A lone surrogate cannot be represented in a Swift String: use U+FFFD.
                    let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    result.append(contentsOf: String(Character(character)).utf8)
                default:
                    return nil
                }
                runStart = index
            }
            return nil
        }

        mutating func parseHex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let nibble: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | nibble
                index += 1
            }
            return value
        }
    }
}
