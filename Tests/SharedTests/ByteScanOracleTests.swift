import Testing

@testable import Shared

/// The byte-level fast paths (word-at-a-time scans, byte parsers of schema URIs and view dimensions)
/// agree with straightforward reference implementations — the code they replaced — on random text
/// that puts the interesting bytes (controls, quotes, backslashes, DEL, non-ASCII, separators) at
/// every offset, including across 8-byte word boundaries.
@Suite("Byte-scan fast paths against reference implementations")
struct ByteScanOracleTests {
    /// Random text of 0–40 characters from `alphabet`.
    static func randomText(_ alphabet: [String], using generator: inout some RandomNumberGenerator) -> String {
        (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
    }

    static let scanAlphabet = ["a", "b", "Z", "0", " ", "\t", "\n", "\u{0}", "\u{1F}", "\u{7F}", "\"", "\\", "é", "€", "😀", "~"]

    @Test("TSVControlBytes.first finds the first control byte like a byte loop")
    func controlBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var text = Self.randomText(Self.scanAlphabet, using: &generator)
            text.withUTF8 { bytes in
                let start = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &generator)
                let expected = (start..<bytes.count).first { bytes[$0] < 0x20 || bytes[$0] == 0x7F } ?? bytes.count
                #expect(TSVControlBytes.first(in: bytes, from: start) == expected, "\(Array(bytes)) from \(start)")
            }
        }
    }

    @Test("tsvSafe cleans like the reference (tab → 4 spaces, other controls dropped)")
    func tsvSafe() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = Self.randomText(Self.scanAlphabet, using: &generator)
            var expected: [UInt8] = []
            for byte in text.utf8 {
                if byte == 0x09 { expected += [0x20, 0x20, 0x20, 0x20] } else if byte >= 0x20 && byte != 0x7F { expected.append(byte) }
            }
            #expect(Array(EnrichedEvent.tsvSafe(text).utf8) == expected)
            #expect(ParameterConversion.tsvSafe(text) == (expected.isEmpty ? nil : String(decoding: expected, as: UTF8.self)))
        }
    }

    /// The escaping `writeString` had before the word scan, byte by byte.
    static func referenceEscape(_ text: String) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "\"")]
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: output += Array("\\n".utf8)
            case 0x0D: output += Array("\\r".utf8)
            case 0x09: output += Array("\\t".utf8)
            case 0x08: output += Array("\\b".utf8)
            case 0x0C: output += Array("\\f".utf8)
            case ..<0x20: output += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
        return output
    }

    @Test("JSON string writing escapes like the byte-by-byte reference, and parsing reads it back")
    func jsonStrings() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let text = Self.randomText(Self.scanAlphabet, using: &generator)
            var written: [UInt8] = []
            JSONValue.writeString(text, to: &written)
            #expect(written == Self.referenceEscape(text), "\(Array(text.utf8))")
            let parsed = try JSONParser().parse(String(decoding: written, as: UTF8.self)).get()
            #expect(parsed == .string(text))
        }
    }

    @Test("an unescaped control character in a JSON string is refused wherever it is")
    func jsonControlCharacter() {
        for offset in 0..<20 {
            let text = "[\"" + String(repeating: "a", count: offset) + "\u{1}" + String(repeating: "b", count: 20 - offset) + "\"]"
            #expect(throws: (any Error).self) { try JSONParser().parse(text).get() }
        }
    }

    /// `SchemaKey(uri:)` as it was: `String.split` on `/` and `-`.
    static func referenceSchemaKey(_ uri: String) -> SchemaKey? {
        guard uri.hasPrefix("iglu:") else { return nil }
        let parts = uri.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let numbers = parts[3].split(separator: "-", omittingEmptySubsequences: false)
        func number(_ text: Substring) -> Int? {
            guard !text.isEmpty, text.count <= 9, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            guard text == "0" || text.utf8.first != 0x30 else { return nil }
            return Int(text)
        }
        guard numbers.count == 3, let model = number(numbers[0]), let revision = number(numbers[1]), let addition = number(numbers[2]),
            let version = SchemaVersion(model: model, revision: revision, addition: addition)
        else { return nil }
        return SchemaKey(vendor: String(parts[0]), name: String(parts[1]), format: String(parts[2]), version: version)
    }

    @Test("SchemaKey(uri:) accepts and refuses exactly what the split-based parser did")
    func schemaKeys() {
        var generator = SystemRandomNumberGenerator()
        let fixed = [
            "iglu:com.acme/event/jsonschema/1-0-0", "iglu:com.acme/event/jsonschema/10-2-33", "iglu:com.acme/event/jsonschema/0-0-0",
            "iglu:com.acme/event/jsonschema/1-01-0", "iglu:com.acme/event/jsonschema/1-0-1234567890", "iglu:com.acme/event/jsonschema/1-0-999999999",
            "iglu:com.acme/event/jsonschema/1-0", "iglu:com.acme/event/jsonschema/1-0-0-0", "iglu:com.acme/ev.ent/jsonschema/1-0-0",
            "iglu:com.acme//jsonschema/1-0-0", "iglu:/a/b/1-0-0", "iglu:a/b/c/d/1-0-0", "iglu:a/b/c/", "iglu:", "iglu", "Iglu:a/b/c/1-0-0",
            "iglu:a/b/c/1-0-0\u{301}", "iglu:\u{301}a/b/c/1-0-0", "iglu:c\u{E9}/b/c/1-0-0", "iglu:a_b-c/d_e/f-g/1-0-0",
        ]
        let alphabet = ["a", "Z", "0", "1", "9", "-", "_", ".", "/", "/", "/", "-", "é", ":", "\u{301}"]
        let random = (0..<3000).map { _ in
            Int.random(in: 0..<10, using: &generator) == 0
                ? Self.randomText(alphabet, using: &generator)
                : "iglu:" + Self.randomText(alphabet, using: &generator)
        }
        for uri in fixed + random {
            let key = SchemaKey(uri: uri)
            #expect(key == Self.referenceSchemaKey(uri), "\(uri)")
            if let key { #expect(key.uri == uri) }
        }
    }

    @Test("ViewDimensions.parse agrees with the split-based parser")
    func viewDimensions() {
        var generator = SystemRandomNumberGenerator()
        func reference(_ text: String) -> ViewDimensions? {
            let parts = text.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
            func digits(_ part: Substring) -> Int32? {
                guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
                return Int32(exactly: Int64(part) ?? Int64.max)
            }
            guard parts.count == 2, let width = digits(parts[0]), let height = digits(parts[1]) else { return nil }
            return ViewDimensions(width: width, height: height)
        }
        let fixed = ["1920x1080", "0x0", "x1", "1x", "1x2x3", "2147483647x1", "2147483648x1", "99999999999999999999x1", "１x2", "1x\u{301}2", "-1x2"]
        let alphabet = ["0", "1", "9", "x", "x", "X", "é", " ", "-", "\u{301}"]
        for text in fixed + (0..<3000).map({ _ in Self.randomText(alphabet, using: &generator) }) {
            let parsed = try? ViewDimensions.parse(text).get()
            #expect(parsed == reference(text), "\(text)")
        }
    }
}
