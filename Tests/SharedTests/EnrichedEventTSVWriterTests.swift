import Testing

@testable import Shared

/// `appendTSV(to:)` writes the line straight into the array's buffer (`appendTSVInPlace`); the general
/// path writes it column by column (`appendTSV(columns:to:)`). The two must give the same bytes for
/// every event, including the lines the in-place writer gives up on (tabs widening the strings beyond
/// its bound).
@Suite struct EnrichedEventTSVWriterTests {
    /// The general path's line for `event`, appended to `prefix`.
    static func generalLine(_ event: EnrichedEvent, after prefix: [UInt8] = []) -> [UInt8] {
        var bytes = prefix
        event.withColumns { EnrichedEvent.appendTSV(columns: $0, to: &bytes) }
        return bytes
    }

    static let texts = [
        "", "a", "plain text", "tab\there", "\t\t\t", "new\nline\r", "\u{7F}del", "\u{01}\u{1F}ctl", "Grüße 日本 👋",
        "quote \" backslash \\", String(repeating: "x", count: 300), String(repeating: "\t", count: 40),
        "{\"schema\":\"iglu:com.acme/x/jsonschema/1-0-0\",\"data\":{\"k\":\"v\\tw\"}}",
    ]

    /// Every column set or not at random, with strings from `texts` (control bytes, tabs, non-ASCII,
    /// long ones) and extreme numbers.
    static func randomEvent(_ random: inout SplitMix64) -> EnrichedEvent {
        var event = EnrichedEvent()
        let integers = [0, 7, -1, 42, 1_000_000, Int.max, Int.min, -9_999_999_999]
        let doubles = [0.0, -0.0, 37.751, -122.4194, 1e-300, 2.2250738585072014e-308, 1e21, .nan, .infinity, 123456789.125]
        let decimals: [SnowplowDecimal] = ["0", "-12.50", "12345678901234567890.123456789", "3.0E+2"].compactMap { SnowplowDecimal($0) }
        event.withMutableColumns { target in
            for field in EnrichedEventField.all where Bool.random(using: &random) {
                let layout = EnrichedEventField.layout[field.index]
                switch field.type {
                case .string, .json: layout.write(texts.randomElement(using: &random), to: target)
                case .integer: layout.write(integers.randomElement(using: &random), to: target)
                case .double: layout.write(doubles.randomElement(using: &random), to: target)
                case .decimal: layout.write(decimals.randomElement(using: &random), to: target)
                case .boolean: layout.write(Optional(Bool.random(using: &random)), to: target)
                case .timestamp:
                    layout.write(
                        SnowplowTimestamp(millisecondsSinceEpoch: Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &random)),
                        to: target)
                }
            }
        }
        return event
    }

    @Test func inPlaceLinesEqualTheGeneralPathsOnRandomEvents() {
        var random = SplitMix64(state: 0x75F)
        var gaveUp = 0
        for round in 0..<3000 {
            let event = Self.randomEvent(&random)
            let prefix: [UInt8] = round % 3 == 0 ? Array("earlier line\n".utf8) : []
            var bytes = prefix
            let inPlace = event.withColumns { EnrichedEvent.appendTSVInPlace(columns: $0, to: &bytes) }
            if inPlace {
                #expect(bytes == Self.generalLine(event, after: prefix), "round \(round)")
            } else {
                gaveUp += 1
                #expect(bytes == prefix, "round \(round): a line given up must leave the buffer as it was")
            }
            var public_ = prefix
            event.appendTSV(to: &public_)
            #expect(public_ == Self.generalLine(event, after: prefix), "round \(round)")
            // The line in its own array, written into uninitialised memory (or by the general path).
            #expect(event.tsvBytes() == Self.generalLine(event), "round \(round)")
        }
        // Both outcomes occur: most lines fit their bound; lines with many tabs do not.
        #expect(gaveUp > 0 && gaveUp < 3000)
    }

    @Test func aLineOfTabsIsGivenUpAndWrittenByTheGeneralPath() {
        var event = EnrichedEvent()
        event.appId = String(repeating: "\t", count: 1000)
        var bytes: [UInt8] = []
        #expect(!event.withColumns { EnrichedEvent.appendTSVInPlace(columns: $0, to: &bytes) })
        #expect(bytes.isEmpty)
        event.appendTSV(to: &bytes)
        #expect(bytes.count == 4000 + 130)
        #expect(bytes == Self.generalLine(event))
        #expect(event.tsvBytes() == bytes)
    }

    @Test(arguments: [0, 1, 9, 10, 99, 100, -1, -10, 1_234_567_890, Int.max, Int.min, Int.max / 10, -(Int.max / 10) - 1])
    func integersAreWrittenAsStringDoes(value: Int) {
        var buffer = [UInt8](repeating: 0, count: 24)
        let count = buffer.withUnsafeMutableBufferPointer { EnrichedEvent.writeDecimalDigits(value, at: $0.baseAddress!) - $0.baseAddress! }
        #expect(String(decoding: buffer[0..<count], as: UTF8.self) == String(value))
    }
}
