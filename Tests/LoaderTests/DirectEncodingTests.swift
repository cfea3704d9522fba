import Shared
import Testing

@testable import Loader

/// The direct TSV → RowBinary path (``EventRowEncoder/encodeDirectly(tsv:into:)``) against the full
/// parser (`EnrichedEvent.parse` + ``EventRowEncoder/encode(_:entities:into:)``) as the oracle.
@Suite struct DirectEncodingTests {
    static let derived = """
        {"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[\
        {"schema":"iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0","data":{"useragentFamily":"Firefox","useragentMajor":"121","useragentMinor":null,"osFamily":"Ubuntu","deviceFamily":"Other"}},\
        {"schema":"iglu:io.freshet/visitor/jsonschema/1-0-0","data":{"visitorId":"v-1","firstSeen":"2025-03-01T10:00:00.123Z","lastSeen":"1969-03-01T10:00:00Z","eventCount":12,"sessionId":"s-9","firstTouch":{"medium":"search","source":"Google","campaign":null}}}]}
        """

    /// A line using every column type, with non-ASCII text.
    static func fullEvent() -> EnrichedEvent {
        var event = EnrichedEvent()
        event.appId = "shop ünï — ✓"
        event.platform = "web"
        event.eventId = "6F8A7C1E-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
        event.collectorTstamp = SnowplowTimestamp(tsv: "2024-02-29 23:59:59.999")
        event.dvceCreatedTstamp = SnowplowTimestamp(tsv: "2024-01-02 03:04:05.001")
        event.etlTstamp = SnowplowTimestamp(tsv: "2000-01-01 00:00:00.000")
        event.txnId = -42
        event.domainSessionidx = 7
        event.pageUrlport = 443
        event.geoLatitude = 52.520008
        event.geoLongitude = -0.5
        event.trTotal = SnowplowDecimal("-12.5")
        event.tiPrice = SnowplowDecimal("0.000000001")
        event.seValue = SnowplowDecimal("99999999999999999999999999999.999999999")
        event.brCookies = false
        event.brFeaturesPdf = true
        event.pageTitle = "Example — /pricing 🚀"
        event.contexts = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[]}"#
        event.derivedContexts = derived
        return event
    }

    func slowRow(_ line: String, _ encoder: EventRowEncoder) throws -> [UInt8] {
        let event = try EnrichedEvent.parse(tsvLine: line).get()
        var writer = RowBinaryWriter()
        try encoder.encode(event, entities: FlattenedEntities(derivedContexts: event.derivedContexts), into: &writer)
        return writer.bytes
    }

    func directRow(_ line: String, _ encoder: EventRowEncoder) -> [UInt8]? {
        var writer = RowBinaryWriter()
        writer.appendString("prefix")
        let done = Array(line.utf8).withUnsafeBytes { encoder.encodeDirectly(tsv: $0, into: &writer) }
        if !done {
            #expect(writer.bytes == [6] + Array("prefix".utf8), "a declined line leaves no bytes behind")
            return nil
        }
        return Array(writer.bytes.dropFirst(7))
    }

    @Test(arguments: ClickHouseDialect.allCases) func usualLinesGiveTheParsersRowByteForByte(dialect: ClickHouseDialect)
        throws
    {
        let encoder = EventRowEncoder(dialect: dialect)
        var minimal = EnrichedEvent()
        minimal.eventId = "00112233-4455-6677-8899-aabbccddeeff"
        minimal.collectorTstamp = SnowplowTimestamp(tsv: "1970-01-01 00:00:00.000")
        var noEntities = Self.fullEvent()
        noEntities.derivedContexts = #"{"schema":"iglu:x/contexts/jsonschema/1-0-1","data":[]}"#
        for event in [Self.fullEvent(), minimal, noEntities] {
            let line = event.tsvLine()
            let direct = try #require(directRow(line, encoder), "\(line)")
            #expect(direct == (try slowRow(line, encoder)))
        }
    }

    /// Values the direct path does not read itself still load exactly as the parser reads them.
    @Test(arguments: ClickHouseDialect.allCases) func unusualValuesFallBackToTheParser(dialect: ClickHouseDialect)
        throws
    {
        let encoder = EventRowEncoder(dialect: dialect)
        let base = Self.fullEvent().tsvLine().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        func line(_ changes: [String: String]) -> String {
            var columns = base
            for (name, value) in changes { columns[EnrichedEventField.named(name)!.index] = value }
            return columns.joined(separator: "\t")
        }
        let variants: [[String: String]] = [
            ["collector_tstamp": "2024-01-02 03:04:05"],  // no milliseconds
            ["geo_latitude": "+1.5"], ["geo_longitude": "1e2"], ["geo_latitude": "01.50"],
            ["tr_total": "1e3"], ["ti_price": "1.5E-2"],
        ]
        for changes in variants {
            let text = line(changes)
            #expect(directRow(text, encoder) == nil, "\(changes)")
            var writer = RowBinaryWriter()
            try Array(text.utf8).withUnsafeBytes { try encoder.encode(tsv: $0, into: &writer) }
            #expect(writer.bytes == (try slowRow(text, encoder)), "\(changes)")
        }
    }

    /// Lines that cannot load are declined, and the parser's error is what the caller sees.
    @Test func badLinesAreDeclinedWithTheParsersError() {
        let encoder = EventRowEncoder(dialect: .legacy)
        let base = Self.fullEvent().tsvLine().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let cases: [(String, String)] = [
            ("event_id", "not-a-uuid"), ("collector_tstamp", ""), ("collector_tstamp", "2024-02-30 00:00:00.000"),
            ("br_viewwidth", "2147483648"), ("dvce_created_tstamp", "1969-12-31 23:59:59.999"),
            ("tr_total", "1.0000000001"),
            ("br_cookies", "2"), ("contexts", "[]"), ("page_urlport", "70000"),
        ]
        for (name, value) in cases {
            var columns = base
            columns[EnrichedEventField.named(name)!.index] = value
            let text = columns.joined(separator: "\t")
            #expect(directRow(text, encoder) == nil, "\(name)=\(value)")
            var writer = RowBinaryWriter()
            #expect(throws: EventRowError.self, "\(name)=\(value)") {
                try Array(text.utf8).withUnsafeBytes { try encoder.encode(tsv: $0, into: &writer) }
            }
            #expect(writer.count == 0)
        }
        var invalidUTF8 = Array(base.joined(separator: "\t").utf8)
        invalidUTF8[2] = 0xC0
        var writer = RowBinaryWriter()
        #expect(invalidUTF8.withUnsafeBytes { encoder.encodeDirectly(tsv: $0, into: &writer) } == false)
        var tooMany = base
        tooMany.append("x")
        #expect(directRow(tooMany.joined(separator: "\t"), encoder) == nil)
    }

    @Test func timestampsMatchTheParser() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let milliseconds = Int64.random(in: -2_208_988_800_000...10_413_791_999_999, using: &generator)
            let text = SnowplowTimestamp(millisecondsSinceEpoch: milliseconds)!.tsvString
            let direct = Array(text.utf8).withUnsafeBytes { TSVColumnText.timestampMilliseconds($0) }
            #expect(direct == milliseconds, "\(text)")
        }
        for text in [
            "2023-02-29 00:00:00.000", "2024-13-01 00:00:00.000", "2024-01-01T00:00:00.000", "2024-01-01 24:00:00.000",
            "1899-12-31 23:59:59.999",
        ] {
            #expect(Array(text.utf8).withUnsafeBytes { TSVColumnText.timestampMilliseconds($0) } == nil, "\(text)")
        }
    }

    @Test func utf8ValidationMatchesSwift() {
        var generator = SystemRandomNumberGenerator()
        let interesting: [UInt8] = [
            0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xA0, 0x9F, 0xED, 0xEF, 0xF0, 0x90, 0x8F, 0xF4, 0xF5,
            0xFF,
        ]
        for _ in 0..<20000 {
            let bytes = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                interesting.randomElement(using: &generator)!
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(bytes.withUnsafeBytes { TSVColumnText.isValidUTF8($0) } == expected, "\(bytes)")
        }
    }

    @Test func plainNumbersAreJSONLiteralsWithoutExponent() {
        for good in ["0", "-0", "12", "-12.50", "0.000000001"] {
            #expect(Array(good.utf8).withUnsafeBytes { TSVColumnText.isPlainNumber($0) }, "\(good)")
        }
        for bad in ["", "-", "01", "1.", ".5", "+1", "1e3", "1.5.2", "NaN", " 1"] {
            #expect(!Array(bad.utf8).withUnsafeBytes { TSVColumnText.isPlainNumber($0) }, "\(bad)")
        }
    }
}
