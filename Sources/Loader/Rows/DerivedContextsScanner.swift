import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// Reads the flattened entity values out of the UTF-8 bytes of a `derived_contexts` document in one
/// pass, without building a `JSONValue` tree: it checks the whole document's JSON grammar, notes for
/// each context its `schema` and the byte range of its `data` object, and converts only the members the
/// ``EntityField`` columns need.
///
/// Same answer as ``FlattenedEntities/init(derivedContexts:)-(String?)`` (the full parser) — the first
/// matching context per entity, a later duplicate key winning — for the documents it takes; it answers
/// `nil` (the caller then uses the full parser) for anything less usual: a backslash escape or a raw
/// control character in a string, nesting deeper than 32, a duplicate `schema`/`data`. Pure; the bytes
/// must stay valid during the call.
struct DerivedContextsScanner {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The entities of the document, `.empty` when it is not JSON or holds none of them, or `nil` to
    /// say "use the full parser".
    static func entities(in bytes: UnsafeRawBufferPointer) -> FlattenedEntities? {
        var scanner = DerivedContextsScanner(bytes)
        return scanner.scanDocument()
    }

    /// A value's kind and bytes (strings without their quotes).
    private enum Kind: Equatable { case string, number, bool(Bool), null, object, array }
    private struct Value {
        var kind: Kind
        var range: Range<Int>
    }

    private enum Failure: Error {
        /// Not valid JSON: the full parser fails too, so no entities.
        case invalid
        /// Valid or not, something this scanner leaves to the full parser.
        case unusual
    }

    private mutating func scanDocument() -> FlattenedEntities? {
        var contexts: [(schema: Range<Int>, data: Range<Int>)] = []
        do {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
                try skipValue(depth: 0)  // valid JSON but not an object → no entities; invalid → none either
                return .empty
            }
            var dataSeen = false
            try scanObject(depth: 1) { scanner, key in
                guard scanner.equals(key, Self.dataKey) else { return try scanner.skipValue(depth: 1) }
                guard !dataSeen else { throw Failure.unusual }
                dataSeen = true
                scanner.skipWhitespace()
                guard scanner.position < scanner.bytes.count, scanner.bytes[scanner.position] == UInt8(ascii: "[")
                else {
                    return try scanner.skipValue(depth: 1)
                }
                try scanner.scanArray(depth: 2) { scanner in
                    scanner.skipWhitespace()
                    guard scanner.position < scanner.bytes.count, scanner.bytes[scanner.position] == UInt8(ascii: "{")
                    else {
                        return try scanner.skipValue(depth: 2)
                    }
                    var schema: Value?
                    var data: Value?
                    try scanner.scanObject(depth: 3) { scanner, key in
                        if scanner.equals(key, Self.schemaKey) {
                            guard schema == nil else { throw Failure.unusual }
                            schema = try scanner.scanValue(depth: 3)
                        } else if scanner.equals(key, Self.dataKey) {
                            guard data == nil else { throw Failure.unusual }
                            data = try scanner.scanValue(depth: 3)
                        } else {
                            try scanner.skipValue(depth: 3)
                        }
                    }
                    if let schema, schema.kind == .string, let data, data.kind == .object {
                        contexts.append((schema.range, data.range))
                    }
                }
            }
            skipWhitespace()
            guard position == bytes.count else { throw Failure.invalid }
        } catch Failure.invalid {
            return .empty
        } catch {
            return nil
        }
        var found: [Range<Int>?] = [nil, nil, nil, nil]
        for context in contexts {
            for entity in DerivedEntity.allCases
            where found[entity.rawValue] == nil && hasPrefix(context.schema, Self.prefixes[entity.rawValue]) {
                found[entity.rawValue] = context.data
            }
        }
        guard found.contains(where: { $0 != nil }) else { return .empty }
        var values = [FlattenedEntities.Value?](repeating: nil, count: EntityField.allCases.count)
        var entityMembers: [[Member]?] = [nil, nil, nil, nil]
        var nested: (range: Range<Int>, members: [Member])?
        for field in EntityField.allCases {
            guard let data = found[field.entity.rawValue] else { continue }
            if entityMembers[field.entity.rawValue] == nil { entityMembers[field.entity.rawValue] = members(of: data) }
            let path = Self.memberPaths[field.rawValue]
            var value = lastMember(path[0], in: entityMembers[field.entity.rawValue]!)
            for key in path.dropFirst() {
                guard let object = value, object.kind == .object else {
                    value = nil
                    break
                }
                if nested?.range != object.range { nested = (object.range, members(of: object.range)) }
                value = lastMember(key, in: nested!.members)
            }
            if let value { values[field.rawValue] = convert(value, to: field.kind) }
        }
        return FlattenedEntities(values: values)
    }

    private typealias Member = (key: Range<Int>, value: Value)

    /// The members of the (already validated) object at `range`, in order.
    private func members(of range: Range<Int>) -> [Member] {
        var scanner = DerivedContextsScanner(UnsafeRawBufferPointer(rebasing: bytes[..<range.upperBound]))
        scanner.position = range.lowerBound
        var members: [Member] = []
        members.reserveCapacity(16)
        // The object was scanned once already, so neither failure can happen here.
        try? scanner.scanObject(depth: 1) { scanner, key in
            members.append((key, try scanner.scanValue(depth: 1)))
        }
        return members
    }

    /// The value of the last member named `key` (a later duplicate wins, as in the full parser).
    private func lastMember(_ key: [UInt8], in members: [Member]) -> Value? {
        for member in members.reversed() where equals(member.key, key) { return member.value }
        return nil
    }

    /// As the full parser's flattening converts a member value.
    private func convert(_ value: Value, to kind: EntityField.Kind) -> FlattenedEntities.Value? {
        let text = UnsafeRawBufferPointer(rebasing: bytes[value.range])
        switch (kind, value.kind) {
        case (.string, .string), (.lowCardinalityString, .string):
            return text.isEmpty ? nil : .string(String(decoding: text, as: UTF8.self))
        case (.string, .number), (.lowCardinalityString, .number):
            return .string(String(decoding: text, as: UTF8.self))
        case (.count, .number):
            guard let number = Int64(String(decoding: text, as: UTF8.self)), number >= 0, number <= Int64(UInt32.max)
            else { return nil }
            return .count(UInt32(number))
        case (.flag, .bool(let flag)):
            return .flag(flag)
        case (.timestamp, .string):
            let string = String(decoding: text, as: UTF8.self)
            guard let timestamp = SnowplowTimestamp(iso8601: string) ?? SnowplowTimestamp(tsv: string) else {
                return nil
            }
            return .timestamp(timestamp)
        default:
            return nil
        }
    }

    // MARK: Grammar

    private static let maximumDepth = 32

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// `{ "key": value, … }`; `member` is called after each key's colon and must consume the value.
    private mutating func scanObject(
        depth: Int, _ member: (inout DerivedContextsScanner, Range<Int>) throws -> Void
    ) throws {
        guard depth <= Self.maximumDepth else { throw Failure.unusual }
        position += 1  // {
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw Failure.invalid }
            let key = try scanString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw Failure.invalid }
            position += 1
            try member(&self, key)
            skipWhitespace()
            guard position < bytes.count else { throw Failure.invalid }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return
            } else {
                throw Failure.invalid
            }
        }
    }

    /// `[ value, … ]`; `element` must consume each value.
    private mutating func scanArray(depth: Int, _ element: (inout DerivedContextsScanner) throws -> Void) throws {
        guard depth <= Self.maximumDepth else { throw Failure.unusual }
        position += 1  // [
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            guard position < bytes.count else { throw Failure.invalid }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return
            } else {
                throw Failure.invalid
            }
        }
    }

    private mutating func skipValue(depth: Int) throws {
        _ = try scanValue(depth: depth)
    }

    /// Any value (after optional whitespace), checked and skipped; returns its kind and bytes.
    private mutating func scanValue(depth: Int) throws -> Value {
        skipWhitespace()
        guard position < bytes.count else { throw Failure.invalid }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "{"):
            try scanObject(depth: depth + 1) { scanner, _ in try scanner.skipValue(depth: depth + 1) }
            return Value(kind: .object, range: start..<position)
        case UInt8(ascii: "["):
            try scanArray(depth: depth + 1) { scanner in try scanner.skipValue(depth: depth + 1) }
            return Value(kind: .array, range: start..<position)
        case UInt8(ascii: "\""):
            return Value(kind: .string, range: try scanString())
        case UInt8(ascii: "t"):
            try expect("true")
            return Value(kind: .bool(true), range: start..<position)
        case UInt8(ascii: "f"):
            try expect("false")
            return Value(kind: .bool(false), range: start..<position)
        case UInt8(ascii: "n"):
            try expect("null")
            return Value(kind: .null, range: start..<position)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
            return Value(kind: .number, range: start..<position)
        default:
            throw Failure.invalid
        }
    }

    /// A string without escapes; returns the bytes between the quotes.
    private mutating func scanString() throws -> Range<Int> {
        position += 1  // "
        let start = position
        // Eight bytes at a time while none is a quote, a backslash or a control character.
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (word &- ones &* 0x20) & ~word
            if special & highs != 0 { break }
            position += 8
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return start..<(position - 1)
            }
            guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { throw Failure.unusual }
            position += 1
        }
        throw Failure.invalid
    }

    /// `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`
    private mutating func scanNumber() throws {
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw Failure.invalid }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw Failure.invalid }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw Failure.invalid }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
    }

    private mutating func expect(_ word: StaticString) throws {
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count else { throw Failure.invalid }
        for offset in 0..<length where bytes[position + offset] != word.utf8Start[offset] { throw Failure.invalid }
        position += length
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private func equals(_ range: Range<Int>, _ key: [UInt8]) -> Bool {
        range.count == key.count && startsWith(range.lowerBound, key)
    }

    private func hasPrefix(_ range: Range<Int>, _ prefix: [UInt8]) -> Bool {
        range.count >= prefix.count && startsWith(range.lowerBound, prefix)
    }

    private func startsWith(_ offset: Int, _ text: [UInt8]) -> Bool {
        text.isEmpty || text.withUnsafeBytes { memcmp(bytes.baseAddress! + offset, $0.baseAddress!, text.count) == 0 }
    }

    private static let dataKey = Array("data".utf8)
    private static let schemaKey = Array("schema".utf8)
    private static let prefixes = DerivedEntity.allCases.map { Array($0.schemaPrefix.utf8) }
    private static let memberPaths = EntityField.allCases.map { $0.memberPath.map { Array($0.utf8) } }
}
