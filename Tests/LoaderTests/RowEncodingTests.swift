import Shared
import Testing

@testable import Loader

@Suite struct RowEncodingTests {
    @Test func writesRowBinaryPrimitives() {
        var writer = RowBinaryWriter()
        writer.appendVarUInt(300)
        writer.appendString("é")
        writer.appendFixed(Int32(-2))
        writer.appendFixed(UInt16(0x0102))
        writer.appendInt128(-1)
        #expect(writer.bytes == [0xAC, 0x02, 2, 0xC3, 0xA9, 0xFE, 0xFF, 0xFF, 0xFF, 0x02, 0x01] + [UInt8](repeating: 0xFF, count: 16))
        writer.truncate(to: 2)
        #expect(writer.bytes == [0xAC, 0x02])
    }

    @Test func readsUUIDsIntoClickHouseHalves() throws {
        let uuid = try #require(UUIDText.parse("00112233-4455-6677-8899-AABBCCDDEEFF"))
        #expect(uuid.high == 0x0011_2233_4455_6677)
        #expect(uuid.low == 0x8899_AABB_CCDD_EEFF)
        var writer = RowBinaryWriter()
        writer.appendUUID(high: uuid.high, low: uuid.low)
        #expect(writer.bytes == [0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x99, 0x88])
        for bad in ["", "00112233445566778899aabbccddeeff", "00112233-4455-6677-8899-aabbccddeefg", "00112233-4455-6677-8899-aabbccddeeff0"] {
            #expect(UUIDText.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func scalesDecimalsExactlyOrRefuses() {
        #expect(DecimalScaling.scaled("12.5", scale: 9) == .success(12_500_000_000))
        #expect(DecimalScaling.scaled("-0.000000001", scale: 9) == .success(-1))
        #expect(DecimalScaling.scaled("0", scale: 9) == .success(0))
        #expect(DecimalScaling.scaled("1e3", scale: 9) == .success(1_000_000_000_000))
        #expect(DecimalScaling.scaled("1.5E-2", scale: 9) == .success(15_000_000))
        #expect(DecimalScaling.scaled("1.50000000000", scale: 9) == .success(1_500_000_000))
        #expect(DecimalScaling.scaled("1.2345678901", scale: 9) == .failure(.tooManyFractionalDigits))
        #expect(DecimalScaling.scaled(String(repeating: "9", count: 29) + "." + String(repeating: "9", count: 9), scale: 9) == .success(Int128(String(repeating: "9", count: 38))!))
        #expect(DecimalScaling.scaled("1" + String(repeating: "0", count: 29), scale: 9) == .failure(.tooLarge))
        #expect(DecimalScaling.scaled("abc", scale: 9) == .failure(.notANumber))
    }

    func event() -> EnrichedEvent {
        var event = EnrichedEvent()
        event.appId = "a"
        event.eventId = "00112233-4455-6677-8899-aabbccddeeff"
        event.collectorTstamp = SnowplowTimestamp(tsv: "2024-01-02 03:04:05.678")
        return event
    }

    @Test func encodesTheLegacyLayoutColumnByColumn() throws {
        let encoder = EventRowEncoder(dialect: .legacy)
        var writer = RowBinaryWriter()
        try encoder.encode(event(), entities: .empty, into: &writer)
        var expected: [UInt8] = [1, 0x61]  // app_id "a"
        expected += [0]  // platform ''
        expected += [1, 0, 0]  // etl_tstamp NULL, etl_tstamp_ms 0
        expected += [0x25, 0x7D, 0x93, 0x65, 0xA6, 0x02]  // collector_tstamp 1704164645 (required), ms 678
        expected += [1, 0, 0]  // dvce_created_tstamp NULL, ms 0
        expected += [0]  // event ''
        expected += [0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x99, 0x88]  // event_id
        expected += [1]  // txn_id NULL
        #expect(Array(writer.bytes.prefix(expected.count)) == expected)
        // Every further column is empty: one byte each (empty string or NULL), two for each `_ms`.
        let rest = encoder.columns.drop { $0.name != "txn_id" }.dropFirst()
        let restSize = rest.reduce(0) { $0 + ($1.type == "UInt16" ? 2 : 1) }
        #expect(writer.count == expected.count + restSize)
    }

    @Test func encodesTheCurrentLayoutInMilliseconds() throws {
        let encoder = EventRowEncoder(dialect: .current)
        var writer = RowBinaryWriter()
        try encoder.encode(event(), entities: .empty, into: &writer)
        let collector = Int64(1_704_164_645_678)
        var expected: [UInt8] = [1, 0x61, 0, 1]
        withUnsafeBytes(of: collector.littleEndian) { expected += $0 }
        #expect(Array(writer.bytes.prefix(expected.count)) == expected)
        #expect(!encoder.columns.contains { $0.name.hasSuffix("_ms") })
    }

    @Test func refusesRowsTheTableCannotHoldAndWritesNothingOfThem() throws {
        let encoder = EventRowEncoder(dialect: .legacy)
        var writer = RowBinaryWriter()
        try encoder.encode(event(), entities: .empty, into: &writer)
        let size = writer.count
        var noID = event()
        noID.eventId = "not-a-uuid"
        var noTime = event()
        noTime.collectorTstamp = nil
        var huge = event()
        huge.brViewwidth = Int(Int32.max) + 1
        var ancient = event()
        ancient.dvceCreatedTstamp = SnowplowTimestamp(tsv: "1969-12-31 23:59:59.999")
        var precise = event()
        precise.trTotal = SnowplowDecimal("1.0000000001")
        for (bad, column) in [(noID, "event_id"), (noTime, "collector_tstamp"), (huge, "br_viewwidth"), (ancient, "dvce_created_tstamp"), (precise, "tr_total")] {
            #expect {
                try encoder.encode(bad, entities: .empty, into: &writer)
            } throws: { error in
                guard case .unloadableValue(let name, _, _) = error as? EventRowError else { return false }
                return name == column
            }
            #expect(writer.count == size, "a refused row leaves no bytes behind")
        }
        // The current dialect holds 1969 (DateTime64 reaches back to 1900).
        var current = RowBinaryWriter()
        try EventRowEncoder(dialect: .current).encode(ancient, entities: .empty, into: &current)
    }

    @Test func reportsLinesThatAreNotEnrichedTSV() {
        let encoder = EventRowEncoder(dialect: .legacy)
        var writer = RowBinaryWriter()
        let line = Array("only\tthree\tcolumns".utf8)
        #expect {
            try line.withUnsafeBytes { try encoder.encode(tsv: $0, into: &writer) }
        } throws: { error in
            if case .notEnrichedTSV(.wrongColumnCount(_, 3)) = error as? EventRowError { return true }
            return false
        }
    }
}

@Suite struct RowDecodingTests {
    /// An event using every encoding: text, UUID, all integer widths, float, decimal, flags, timestamps.
    func event() -> EnrichedEvent {
        var event = EnrichedEvent()
        event.appId = "shop ünï"
        event.eventId = "6f8a7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
        event.collectorTstamp = SnowplowTimestamp(tsv: "2024-01-02 03:04:05.678")
        event.dvceCreatedTstamp = SnowplowTimestamp(tsv: "2024-01-02 03:04:05.001")
        event.txnId = -42
        event.domainSessionidx = 7
        event.pageUrlport = 443
        event.geoLatitude = 52.520008
        event.trTotal = SnowplowDecimal("-12.5")
        event.tiPrice = SnowplowDecimal("0.000000001")
        event.brCookies = false
        event.brFeaturesPdf = true
        event.derivedContexts = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[{"schema":"iglu:io.freshet/visitor/jsonschema/1-0-0","data":{"visitorId":"v","firstSeen":"2025-03-01T10:00:00.123Z"}}]}"#
        return event
    }

    @Test(arguments: ClickHouseDialect.allCases) func aRowDecodesBackToItsLine(dialect: ClickHouseDialect) throws {
        let encoder = EventRowEncoder(dialect: dialect)
        var writer = RowBinaryWriter()
        let event = event()
        try encoder.encode(event, entities: FlattenedEntities(derivedContexts: event.derivedContexts), into: &writer)
        let line = try #require(EventRowDecoder(dialect: dialect).tsvLine(writer.bytes[...]))
        #expect(String(decoding: line, as: UTF8.self) == event.tsvLine())
        #expect(EventRowDecoder(dialect: dialect).tsvLine(writer.bytes.dropLast()) == nil, "a truncated row is refused")
    }

    @Test func writesDecimalsInPlainNotation() {
        #expect(String(decoding: EventRowDecoder.decimalText(12_500_000_000, scale: 9), as: UTF8.self) == "12.5")
        #expect(String(decoding: EventRowDecoder.decimalText(-1, scale: 9), as: UTF8.self) == "-0.000000001")
        #expect(String(decoding: EventRowDecoder.decimalText(0, scale: 9), as: UTF8.self) == "0")
        #expect(String(decoding: EventRowDecoder.decimalText(7_000_000_000, scale: 9), as: UTF8.self) == "7")
    }
}
