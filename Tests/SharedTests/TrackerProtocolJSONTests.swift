import Testing

@testable import Shared

@Suite("JSON value, parser and serialiser")
struct TrackerProtocolJSONTests {
    let parser = JSONParser()

    func parse(_ text: String) -> JSONValue? { try? parser.parse(text).get() }

    func error(_ text: String, parser: JSONParser = JSONParser()) -> JSONParseError.Reason? {
        if case .failure(let error) = parser.parse(text) { return error.reason }
        return nil
    }

    @Test func parsesAllValueKindsAndKeepsKeyOrder() throws {
        let value = try #require(parse(#" {"z":1,"a":[true,false,null,-0.5e+3,"x"],"m":{}} "#))
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value["a"] == .array([.bool(true), .bool(false), .null, .number(JSONNumber(literal: "-0.5e+3")!), .string("x")]))
        #expect(value["m"] == .object(JSONObject()))
        #expect(value.serialized() == #"{"z":1,"a":[true,false,null,-0.5e+3,"x"],"m":{}}"#)
    }

    @Test func numbersKeepTheirLiteral() throws {
        let value = try #require(parse("[1.0, 12345678901234567890123, 1E2]"))
        #expect(value.serialized() == "[1.0,12345678901234567890123,1E2]")
        #expect(value.arrayValue?[0].numberValue?.doubleValue == 1.0)
        #expect(value.arrayValue?[1].numberValue?.int64Value == nil)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try #require(parse(#"["\ud83d\ude00", "\u00e9\n\t\"\\\/", "\u0000"]"#))
        #expect(value.arrayValue?[0] == .string("😀"))
        #expect(value.arrayValue?[1] == .string("é\n\t\"\\/"))
        #expect(value.arrayValue?[2] == .string("\u{0}"))
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() {
        #expect(parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(parse(#""\ude00x""#) == .string("\u{FFFD}x"))
        #expect(parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
    }

    @Test func rawUnicodeRoundTrips() throws {
        let text = #"{"title":"Grüße – 日本語 😀"}"#
        #expect(try #require(parse(text)).serialized() == text)
    }

    @Test func serialiserEscapesControlCharactersQuotesAndBackslashes() {
        let value: JSONValue = ["k\"ey": .string("a\"b\\c\n\r\t\u{8}\u{C}\u{1}\u{1F}/é😀")]
        let text = value.serialized()
        #expect(text == #"{"k\"ey":"a\"b\\c\n\r\t\b\f\u0001\u001f/é😀"}"#)
        #expect(parse(text) == value)
    }

    @Test func duplicateKeysKeepLastValueAtFirstPosition() throws {
        let value = try #require(parse(#"{"a":1,"b":2,"a":3}"#))
        #expect(value.serialized() == #"{"a":3,"b":2}"#)
    }

    @Test func largeObjectsLookUpEveryKey() throws {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let value = try #require(parse("{\(members),\"k7\":\"again\"}"))
        #expect(value.objectValue?.count == 40)
        #expect(value["k39"] == 39)
        #expect(value["k7"] == "again")
    }

    @Test(arguments: [
        ("", JSONParseError.Reason.unexpectedEnd),
        ("[1,]", .unexpectedCharacter(UInt8(ascii: "]"))),
        ("{\"a\":1,}", .unexpectedCharacter(UInt8(ascii: "}"))),
        ("01", .trailingCharacters),
        ("-", .invalidNumber),
        ("1.", .invalidNumber),
        ("1e", .invalidNumber),
        ("NaN", .unexpectedCharacter(UInt8(ascii: "N"))),
        ("\"a\\x\"", .invalidEscape),
        ("\"a\\u12G4\"", .invalidEscape),
        ("\"a\nb\"", .controlCharacterInString),
        ("\"abc", .unexpectedEnd),
        ("{\"a\" 1}", .unexpectedCharacter(UInt8(ascii: "1"))),
        ("tru", .unexpectedEnd),
        ("[1] x", .trailingCharacters),
        ("// c\n1", .unexpectedCharacter(UInt8(ascii: "/"))),
    ])
    func rejectsInvalidJSON(text: String, reason: JSONParseError.Reason) {
        #expect(error(text) == reason)
    }

    @Test func depthLimitCountsArraysAndObjects() {
        let limited = JSONParser(maxDepth: 3)
        #expect((try? limited.parse(#"{"a":[{"b":1}]}"#).get()) != nil)
        #expect(error(#"{"a":[{"b":[]}]}"#, parser: limited) == .tooDeep(maxDepth: 3))
        #expect(JSONValue.array([.array([.object(JSONObject())])]).depth == 3)
        // The default limit protects the recursion against hostile nesting.
        #expect(error(String(repeating: "[", count: 100_000)) == .tooDeep(maxDepth: 512))
    }

    @Test func rawBytesAreValidatedAsUTF8() {
        let invalid: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        if case .failure(let error) = parser.parse(bytes: invalid) {
            #expect(error.reason == .invalidUTF8)
        } else {
            Issue.record("invalid UTF-8 accepted")
        }
        #expect((try? parser.parse(bytes: Array(#"["é"]"#.utf8)).get()) == .array(["é"]))
    }

    @Test func objectSubscriptSetterAppendsReplacesAndRemoves() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["c"] = 3
        object["a"] = "one"
        object["b"] = nil
        #expect(JSONValue.object(object).serialized() == #"{"a":"one","c":3}"#)
    }
}
