import Testing

@testable import Shared

/// ``MessagePack``: the encodings the specification gives for each boundary, round trips of random
/// values, and readers that refuse what is cut short or of another type. (Against Redis' own `cmsgpack`:
/// `MessagePackRedisTests` in the integration tier.)
@Suite struct MessagePackTests {
    static func written(_ build: (inout MessagePack.Writer) -> Void) -> [UInt8] {
        var writer = MessagePack.Writer()
        build(&writer)
        return writer.bytes
    }

    @Test func integersTakeTheShortestFormOfTheSpecification() {
        let cases: [(Int64, [UInt8])] = [
            (0, [0x00]), (127, [0x7f]), (128, [0xcc, 0x80]), (255, [0xcc, 0xff]), (256, [0xcd, 0x01, 0x00]),
            (65535, [0xcd, 0xff, 0xff]), (65536, [0xce, 0x00, 0x01, 0x00, 0x00]),
            (4_294_967_296, [0xcf, 0, 0, 0, 1, 0, 0, 0, 0]), (1_764_000_000_123, [0xcf, 0x00, 0x00, 0x01, 0x9a, 0xb6, 0x97, 0xe8, 0x7b]),
            (-1, [0xff]), (-32, [0xe0]), (-33, [0xd0, 0xdf]), (-128, [0xd0, 0x80]), (-129, [0xd1, 0xff, 0x7f]),
            (-32768, [0xd1, 0x80, 0x00]), (-32769, [0xd2, 0xff, 0xff, 0x7f, 0xff]),
            (Int64.min, [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]), (Int64.max, [0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        ]
        for (value, expected) in cases {
            let bytes = Self.written { $0.appendInteger(value) }
            #expect(bytes == expected, "\(value)")
            var reader = MessagePack.Reader(bytes)
            #expect(reader.integer() == value)
            #expect(reader.isAtEnd)
        }
    }

    @Test func stringsAndArraysCarryTheirLengths() {
        for (length, header) in [(0, [0xa0]), (31, [0xbf]), (32, [0xda, 0x00, 0x20]), (65535, [0xda, 0xff, 0xff]),
                                 (65536, [0xdb, 0x00, 0x01, 0x00, 0x00])] as [(Int, [UInt8])] {
            let text = String(repeating: "é", count: length / 2) + String(repeating: "a", count: length % 2)
            let bytes = Self.written { $0.appendString(text) }
            #expect(Array(bytes.prefix(header.count)) == header, "\(length)")
            #expect(bytes.count == header.count + length)
            var reader = MessagePack.Reader(bytes)
            #expect(reader.string() == text)
            #expect(reader.isAtEnd)
        }
        for (count, header) in [(0, [0x90]), (15, [0x9f]), (16, [0xdc, 0x00, 0x10]), (65536, [0xdd, 0x00, 0x01, 0x00, 0x00])]
            as [(Int, [UInt8])]
        {
            #expect(Self.written { $0.appendArrayHeader(count) } == header)
            var reader = MessagePack.Reader(header)
            #expect(reader.arrayHeader() == count)
        }
        // An array begun before its count is known: array32, completed in place.
        let open = Self.written { writer in
            let start = writer.beginArray()
            writer.appendInteger(1)
            writer.appendString("x")
            writer.endArray(startingAt: start, count: 2)
        }
        #expect(open == [0xdd, 0, 0, 0, 2, 0x01, 0xa1, 0x78])
        var reader = MessagePack.Reader(open)
        #expect(reader.value() == .array([.integer(1), .string([0x78])]))
    }

    @Test func theReaderAlsoTakesStr8BinaryAndNil() {
        var writer = MessagePack.Writer()
        writer.append(.nil)
        #expect(writer.bytes == [0xc0])
        var reader = MessagePack.Reader([0xd9, 0x02, 0x61, 0x62, 0xc4, 0x01, 0xff, 0xc5, 0x00, 0x00, 0xc0])
        #expect(reader.string() == "ab")
        #expect(reader.stringBytes() == [0xff])
        #expect(reader.stringBytes() == [])
        #expect(reader.value() == .nil)
        #expect(reader.isAtEnd)
    }

    @Test func wrongTypesAndShortInputAreRefusedWithoutMoving() {
        for bytes: [UInt8] in [[], [0xcd, 0x01], [0xd3, 0, 0], [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xa1], [0xcb, 0, 0, 0, 0, 0, 0, 0, 0]] {
            var reader = MessagePack.Reader(bytes)
            #expect(reader.integer() == nil, "\(bytes)")
            #expect(reader.position == 0)
        }
        var reader = MessagePack.Reader([0xa3, 0x61, 0x62])  // a 3-byte string with 2 bytes
        #expect(reader.stringBytes() == nil)
        #expect(reader.position == 0)
        #expect(reader.arrayHeader() == nil)
        reader = MessagePack.Reader([0x92, 0x01])  // an array missing its second element
        #expect(reader.value() == nil)
        #expect(reader.position == 0)
        reader = MessagePack.Reader([0x01])
        #expect(reader.string() == nil && reader.arrayHeader() == nil && reader.integer() == 1)
    }

    @Test func randomValuesRoundTrip() {
        var generator = SystemRandomNumberGenerator()
        func randomValue(depth: Int) -> MessagePack.Value {
            switch Int.random(in: 0..<(depth > 2 ? 2 : 3), using: &generator) {
            case 0:
                let magnitude = Int64.random(in: 0...Int64.max, using: &generator) >> Int64.random(in: 0...63, using: &generator)
                return .integer(Bool.random(using: &generator) ? magnitude : -magnitude)
            case 1: return .string((0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            default: return .array((0..<Int.random(in: 0...20, using: &generator)).map { _ in randomValue(depth: depth + 1) })
            }
        }
        for _ in 0..<200 {
            let value = randomValue(depth: 0)
            var writer = MessagePack.Writer()
            writer.append(value)
            var reader = MessagePack.Reader(writer.bytes)
            #expect(reader.value() == value)
            #expect(reader.isAtEnd)
        }
    }
}
