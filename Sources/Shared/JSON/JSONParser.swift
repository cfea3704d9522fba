/// Why a text is not acceptable JSON, and where (byte offset into the UTF-8 input).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Equatable {
        /// The input ended inside a value (or was empty).
        case unexpectedEnd
        /// A byte that cannot start or continue a value here.
        case unexpectedCharacter(UInt8)
        /// A number that breaks the RFC 8259 grammar (leading zero, lone `-`, `1.`, …).
        case invalidNumber
        /// A `\` escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A raw control character (U+0000–U+001F) inside a string.
        case controlCharacterInString
        /// String bytes that are not valid UTF-8 (only checked when parsing raw bytes).
        case invalidUTF8
        /// Non-whitespace after the top-level value.
        case trailingCharacters
        /// Arrays/objects nested deeper than the parser's `maxDepth`.
        case tooDeep(maxDepth: Int)
    }

    /// What was wrong.
    public let reason: Reason
    /// Byte offset in the UTF-8 input where the problem was found.
    public let offset: Int

    /// A message such as `invalid escape at offset 12`.
    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "unexpected end of input"
        case .unexpectedCharacter(let byte):
            what = (0x20..<0x7F).contains(byte)
                ? "unexpected character '\(Character(Unicode.Scalar(byte)))'" : "unexpected byte 0x\(String(byte, radix: 16))"
        case .invalidNumber: what = "invalid number"
        case .invalidEscape: what = "invalid escape sequence"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .invalidUTF8: what = "invalid UTF-8 in string"
        case .trailingCharacters: what = "unexpected characters after the JSON value"
        case .tooDeep(let maxDepth): what = "nesting deeper than \(maxDepth) levels"
        }
        return "\(what) at offset \(offset)"
    }
}

/// A strict RFC 8259 JSON parser producing ``JSONValue``.
///
/// Strict: no comments, no trailing commas, no `NaN`/`Infinity`, no leading zeros, no unescaped
/// control characters, a single top-level value (any type) surrounded only by whitespace.
/// Tolerant where Java/circe (Snowplow enrich) are: a lone UTF-16 surrogate escape (`\ud800`) cannot
/// be held by a Swift `String`, so it becomes U+FFFD instead of rejecting the whole document.
/// Duplicate object keys: the last value wins, at the first key's position.
///
/// Nesting is limited to `maxDepth` levels (an array or object is one level), which also bounds the
/// recursion. The parser is a value with no state between calls: safe to use from any thread.
public struct JSONParser: Sendable {
    /// Maximum nesting of arrays/objects. Default: 512 (enough for any legitimate payload, small
    /// enough to keep the recursion far from the stack limit). Snowplow self-describing JSON uses 40.
    public var maxDepth: Int

    /// A parser allowing `maxDepth` nested levels.
    public init(maxDepth: Int = 512) {
        self.maxDepth = maxDepth
    }

    /// The parser for JSON the pipeline reads back from what it wrote or relays: the JSON columns of
    /// enriched events and bad rows (and the text a `NotIglu` bad-row message embeds). 256 levels.
    static let pipelineOutput = JSONParser(maxDepth: 256)

    /// Parses `text`. The input is valid Unicode already, so strings are not re-validated.
    public func parse(_ text: String) -> Result<JSONValue, JSONParseError> {
        var text = text
        return text.withUTF8 { parse(buffer: $0, validateUTF8: false) }
    }

    /// Parses raw UTF-8 bytes, rejecting invalid UTF-8 inside strings.
    public func parse(bytes: some Collection<UInt8>) -> Result<JSONValue, JSONParseError> {
        if let result = bytes.withContiguousStorageIfAvailable({ parse(buffer: $0, validateUTF8: true) }) {
            return result
        }
        let copy = Array(bytes)
        return copy.withUnsafeBufferPointer { parse(buffer: $0, validateUTF8: true) }
    }

    /// Parses UTF-8 bytes in place. Pass `knownValidUTF8: true` only when the caller has already
    /// validated the bytes (strings are then not re-validated); otherwise invalid UTF-8 inside strings
    /// is rejected as by ``parse(bytes:)``.
    public func parse(
        utf8 bytes: UnsafeRawBufferPointer, knownValidUTF8: Bool = false
    ) -> Result<JSONValue, JSONParseError> {
        parse(buffer: bytes.assumingMemoryBound(to: UInt8.self), validateUTF8: !knownValidUTF8)
    }

    private func parse(buffer: UnsafeBufferPointer<UInt8>, validateUTF8: Bool) -> Result<JSONValue, JSONParseError> {
        var scanner = JSONScanner(bytes: buffer, validateUTF8: validateUTF8, maxDepth: maxDepth)
        do throws(JSONParseError) {
            scanner.skipWhitespace()
            let value = try scanner.parseValue(depth: 0)
            scanner.skipWhitespace()
            guard scanner.position == buffer.count else {
                throw JSONParseError(reason: .trailingCharacters, offset: scanner.position)
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }
}

/// The byte-level recursive-descent scanner behind ``JSONParser``.
private struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let validateUTF8: Bool
    let maxDepth: Int
    var position = 0
    /// The items of the arrays being parsed, innermost last: an array's items are gathered here and
    /// copied out once at their final count, so an array costs one allocation instead of one per growth.
    private var pendingItems: [JSONValue] = []
    /// The same for the members of the objects being parsed.
    private var pendingMembers: [JSONObject.Member] = []

    init(bytes: UnsafeBufferPointer<UInt8>, validateUTF8: Bool, maxDepth: Int) {
        self.bytes = bytes
        self.validateUTF8 = validateUTF8
        self.maxDepth = maxDepth
    }

    func fail(_ reason: JSONParseError.Reason, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(reason: reason, offset: offset ?? position)
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw fail(.unexpectedEnd) }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let byte: throw fail(.unexpectedCharacter(byte))
        }
    }

    mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let length = word.utf8CodeUnitCount
        let start = word.utf8Start
        for offset in 0..<length {
            guard position + offset < bytes.count else { throw fail(.unexpectedEnd, at: position + offset) }
            let byte = bytes[position + offset]
            guard byte == start[offset] else { throw fail(.unexpectedCharacter(byte), at: position + offset) }
        }
        position += length
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        var index = position
        guard JSONNumber.scanLiteral(bytes, &index) else {
            throw fail(.invalidNumber, at: start)
        }
        position = index
        return JSONNumber(unchecked: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw fail(.tooDeep(maxDepth: maxDepth)) }
        position += 1  // [
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array([])
        }
        if pendingItems.capacity == 0 { pendingItems.reserveCapacity(16) }
        let base = pendingItems.count
        defer { pendingItems.removeSubrange(base...) }
        while true {
            skipWhitespace()
            pendingItems.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(Array(pendingItems[base...]))
            case let byte: throw fail(.unexpectedCharacter(byte))
            }
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw fail(.tooDeep(maxDepth: maxDepth)) }
        position += 1  // {
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject())
        }
        if pendingMembers.capacity == 0 { pendingMembers.reserveCapacity(16) }
        let base = pendingMembers.count
        defer { pendingMembers.removeSubrange(base...) }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[position] == UInt8(ascii: "\"") else { throw fail(.unexpectedCharacter(bytes[position])) }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[position] == UInt8(ascii: ":") else { throw fail(.unexpectedCharacter(bytes[position])) }
            position += 1
            skipWhitespace()
            pendingMembers.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(JSONObject(pendingMembers[base...]))
            case let byte: throw fail(.unexpectedCharacter(byte))
            }
        }
    }

    /// Parses a string starting at the opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes.
        scan: while position < bytes.count {
            // Eight bytes at a time while none is a quote, a backslash or a control character; the
            // word with one is then read byte by byte.
            if position + 8 <= bytes.count, let base = bytes.baseAddress,
                !Self.wordHasSpecialStringByte(UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            {
                position += 8
                continue
            }
            let limit = min(position + 8, bytes.count)
            while position < limit {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let text = try makeString(UnsafeBufferPointer(rebasing: bytes[start..<position]), at: start)
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break scan }
                if byte < 0x20 { throw fail(.controlCharacterInString) }
                position += 1
            }
        }
        guard position < bytes.count else { throw fail(.unexpectedEnd) }
        // Slow path: decode escapes into a byte buffer.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(position - start + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return try buffer.withUnsafeBufferPointer { (decoded) throws(JSONParseError) -> String in
                    try makeString(decoded, at: start)
                }
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0..<0x20:
                throw fail(.controlCharacterInString)
            default:
                // A run of plain bytes, copied at once.
                let runStart = position
                position += 1
                while position < bytes.count {
                    let next = bytes[position]
                    if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") || next < 0x20 { break }
                    position += 1
                }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            }
        }
        throw fail(.unexpectedEnd)
    }

    /// `true` when one of the eight bytes of `word` is a quote, a backslash or below 0x20 (exact word
    /// tests: "has a zero byte" and "has a byte less than n" never miss one).
    @inline(__always)
    static func wordHasSpecialStringByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- 0x20 &* ones) & ~word & high
        let quote = word ^ (0x22 &* ones)
        let backslash = word ^ (0x5C &* ones)
        return control | ((quote &- ones) & ~quote & high) | ((backslash &- ones) & ~backslash & high) != 0
    }

    func makeString(_ utf8: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONParseError) -> String {
        if validateUTF8 {
            guard let text = String(validating: utf8, as: UTF8.self) else { throw fail(.invalidUTF8, at: offset) }
            return text
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = position
        position += 1  // backslash
        guard position < bytes.count else { throw fail(.unexpectedEnd) }
        let code = bytes[position]
        position += 1
        switch code {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4(escapeStart: escapeStart)
            var scalar: Unicode.Scalar
            if (0xD800...0xDBFF).contains(unit) {
                // High surrogate: pair it with a following \uDC00–\uDFFF escape if there is one.
                if position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    let saved = position
                    position += 2
                    let low = try parseHex4(escapeStart: saved)
                    if (0xDC00...0xDFFF).contains(low) {
                        let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                    } else {
                        scalar = "\u{FFFD}"
                        position = saved  // re-read the second escape on its own
                    }
                } else {
                    scalar = "\u{FFFD}"
                }
            } else if (0xDC00...0xDFFF).contains(unit) {
                scalar = "\u{FFFD}"
            } else {
                scalar = Unicode.Scalar(unit) ?? "\u{FFFD}"
            }
            buffer.append(contentsOf: scalar.utf8)
        default:
            throw fail(.invalidEscape, at: escapeStart)
        }
    }

    mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw fail(.unexpectedEnd) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidEscape, at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}

/// A tracker `payload_data` body read without a JSON tree: its `schema` member and, for each element
/// of its `data` array, the element's members as tracker parameters (``JSONParser/payloadData(_:)``).
public struct PayloadDataBody: Sendable {
    /// The `schema` member, unparsed.
    public var schema: String
    /// Each element of `data`: its members, in order.
    public var events: [TrackerParameters]
}

extension JSONParser {
    /// Reads `text` as the body every tracker sends — `{"schema": "<string>", "data": [{"<name>":
    /// "<string>", …}, …]}`, members of the wrapper in either order — straight into parameters, without
    /// building a ``JSONValue`` tree (POST bodies are most of an enricher's parsing).
    ///
    /// Returns `nil` for anything else: malformed JSON, a wrapper member other than `schema` and `data`
    /// or one of them twice, an empty or non-array `data`, an element that is not an object, a value that
    /// is not a string, a name twice in one element, or bytes after the wrapper. The caller then takes
    /// the general path (``parse(_:)``), which says what is wrong. For every text this accepts, the
    /// general path reads the same schema string and the same members in the same order.
    public func payloadData(_ text: String) -> PayloadDataBody? {
        var text = text
        return text.withUTF8 { buffer in
            var scanner = JSONScanner(bytes: buffer, validateUTF8: false, maxDepth: maxDepth)
            do throws(JSONParseError) {
                return try scanner.payloadData()
            } catch {
                return nil
            }
        }
    }
}

extension JSONScanner {
    /// The body of ``JSONParser/payloadData(_:)``: `nil` where the shape differs, a thrown error where a
    /// string is malformed (the caller treats both alike).
    mutating func payloadData() throws(JSONParseError) -> PayloadDataBody? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var schema: String?
        var events: [TrackerParameters]?
        repeat {
            guard let key = try memberName() else { return nil }
            switch key {
            case "schema":
                guard schema == nil, at(UInt8(ascii: "\"")) else { return nil }
                schema = try parseString()
            case "data":
                guard events == nil, let elements = try payloadDataElements() else { return nil }
                events = elements
            default:
                return nil
            }
            guard let more = separator(closing: UInt8(ascii: "}")) else { return nil }
            if !more { break }
        } while true
        skipWhitespace()
        guard position == bytes.count, let schema, let events, !events.isEmpty else { return nil }
        return PayloadDataBody(schema: schema, events: events)
    }

    /// The `data` array next: each element an object of string members; `nil` for anything else, and
    /// for an empty array.
    private mutating func payloadDataElements() throws(JSONParseError) -> [TrackerParameters]? {
        guard consume(UInt8(ascii: "[")), !at(UInt8(ascii: "]")) else { return nil }
        var elements: [TrackerParameters] = []
        // An element's members are gathered here first, so its parameters are allocated once at their
        // final count rather than grown member by member.
        var members: [TrackerParameters.Element] = []
        members.reserveCapacity(32)
        repeat {
            guard consume(UInt8(ascii: "{")) else { return nil }
            members.removeAll(keepingCapacity: true)
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    guard let name = try memberName(), at(UInt8(ascii: "\"")) else { return nil }
                    members.append((name, try parseString()))
                    guard let more = separator(closing: UInt8(ascii: "}")) else { return nil }
                    if !more { break }
                } while true
            }
            var parameters = TrackerParameters(minimumCapacity: members.count)
            for member in members { parameters[member.name] = member.value }
            guard parameters.count == members.count else { return nil }  // a name twice: general path
            elements.append(parameters)
            guard let more = separator(closing: UInt8(ascii: "]")) else { return nil }
            if !more { return elements }
        } while true
    }

    /// Skips whitespace; `true` (and steps over it) when `byte` is next.
    private mutating func consume(_ byte: UInt8) -> Bool {
        guard at(byte) else { return false }
        position += 1
        return true
    }

    /// Skips whitespace; `true` when `byte` is next (not stepped over).
    private mutating func at(_ byte: UInt8) -> Bool {
        skipWhitespace()
        return position < bytes.count && bytes[position] == byte
    }

    /// A member's name and its `:`, whitespace around them skipped; `nil` when no name is next.
    private mutating func memberName() throws(JSONParseError) -> String? {
        guard at(UInt8(ascii: "\"")) else { return nil }
        let name = try parseString()
        guard consume(UInt8(ascii: ":")) else { return nil }
        return name
    }

    /// After a member or element: `true` for `,` (another follows), `false` for `closing`, `nil` for
    /// anything else (whitespace skipped, the byte stepped over).
    private mutating func separator(closing: UInt8) -> Bool? {
        if consume(UInt8(ascii: ",")) { return true }
        return consume(closing) ? false : nil
    }
}
