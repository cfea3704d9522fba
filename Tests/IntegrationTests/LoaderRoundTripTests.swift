import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// The loader executable against the real local Kafka and ClickHouse: what lands in `events` equals
/// what was produced, column by column, for every column type (read back through ClickHouse's own text
/// output and compared as values).
@Suite("Loader: rows equal what was produced", .serialized, .timeLimit(.minutes(3)))
struct LoaderRoundTripTests {
    /// Every column set: strings with quotes, backslashes and non-ASCII; negative and wide numbers;
    /// decimals with 9 fractional digits; both flags; a distinct millisecond in every timestamp.
    static func fullEvent() -> EnrichedEvent {
        var event = EnrichedEvent()
        event.withMutableColumns { target in
            for field in EnrichedEventField.all {
                let layout = EnrichedEventField.layout[field.index]
                let n = field.index
                switch field.type {
                case .string: layout.write("v\(n) ünï 'q' \\ \"x\" 😀", to: target)
                case .json: layout.write(#"{"schema":"iglu:com.acme/x/jsonschema/1-0-0","data":{"n":\#(n),"s":"é\t"}}"#, to: target)
                case .integer: layout.write(n % 2 == 0 ? -1_000 * n : 1_000 * n, to: target)
                case .double: layout.write(n % 2 == 0 ? 52.520008 : -0.1276, to: target)
                case .decimal: layout.write(SnowplowDecimal("-\(n)234.123456789")!, to: target)
                case .boolean: layout.write(n % 2 == 0, to: target)
                case .timestamp:
                    layout.write(SnowplowTimestamp(millisecondsSinceEpoch: 1_740_000_000_000 + Int64(n) * 3_600_001 + Int64(n)), to: target)
                }
            }
        }
        event.eventId = "6f8a7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
        event.appId = "roundtrip"
        event.pageUrlport = 8443
        event.refrUrlport = 0
        event.txnId = 9_007_199_254_740_993  // beyond Double's exact integers: must stay exact
        event.derivedContexts = """
            {"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[\
            {"schema":"iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0","data":{"useragentFamily":"Firefox","useragentMajor":"121","osFamily":"Ubuntu","deviceFamily":"Other"}},\
            {"schema":"iglu:io.freshet/visitor/jsonschema/1-0-0","data":{"visitorId":"v-42","firstSeen":"2025-02-01T08:00:00.250Z","eventCount":17,"sessionId":"srv-9","sessionIndex":4,"lastTouch":{"medium":"email","source":"Gmail","campaign":"spring"}}}]}
            """
        return event
    }

    /// Only what the table requires.
    static func minimalEvent() -> EnrichedEvent {
        var event = EnrichedEvent()
        event.eventId = "00000000-0000-4000-8000-000000000001"
        event.collectorTstamp = SnowplowTimestamp(tsv: "2025-03-01 00:00:00.001")
        return event
    }

    /// Values at the edges of the column types.
    static func edgeEvent() -> EnrichedEvent {
        var event = minimalEvent()
        event.eventId = "ffffffff-ffff-4fff-bfff-ffffffffffff"
        event.collectorTstamp = SnowplowTimestamp(tsv: "1970-01-01 00:00:00.000")
        event.dvceCreatedTstamp = SnowplowTimestamp(tsv: "2105-12-31 23:59:59.999")
        event.domainSessionidx = Int(Int32.min)
        event.brViewwidth = Int(Int32.max)
        event.pageUrlport = 65_535
        event.txnId = Int.min
        event.geoLatitude = -90
        event.geoLongitude = 1e-300
        event.trTotal = SnowplowDecimal("99999999999999999999999999999.999999999")
        event.tiPrice = SnowplowDecimal("-0.000000001")
        event.seValue = SnowplowDecimal("1E+3")
        event.brCookies = false
        event.pageTitle = "\u{1}control\u{7F}chars-removed"  // written TSV-safe, as enrich does
        return event
    }

    @Test(arguments: ["auto", "streamed", "buffered"]) func everyColumnRoundTrips(mode: String) async throws {
        let world = try await LoaderWorld()
        do {
            let events = [Self.fullEvent(), Self.minimalEvent(), Self.edgeEvent()]
            try await world.produce(events.map { $0.tsvLine() })
            let loader = try world.startLoader(["--insert-mode", mode])
            let loaded = try await world.waitFor("SELECT count() FROM \(world.database).events", toBe: 3, loader: loader)
            #expect(loaded == 3)

            let dialect = try #require(try await world.scalar("SELECT any(dialect) FROM \(world.database).freshet_schema_migrations"))
            // Decimals are read as the column itself: 18.16's toString(Decimal128) garbles values with
            // more than 19 integer digits (the column's own text output is right).
            let expressions = EnrichedEventField.all.map { field -> String in
                switch field.type {
                case .timestamp:
                    dialect == "legacy" ? "toUInt64(toUInt32(\(field.name))) * 1000 + \(field.name)_ms" : "toUnixTimestamp64Milli(\(field.name))"
                case .string where field.name == "event_id": "toString(event_id)"
                default: "`\(field.name)`"
                }
            }
            let rows = try await world.client.query(
                "SELECT \(expressions.joined(separator: ", ")) FROM \(world.database).events FINAL ORDER BY collector_tstamp DESC FORMAT TabSeparated"
            ).tabSeparatedRows()
            try #require(rows.count == 3)
            let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0[6] ?? "", $0) })
            for event in events {
                let row = try #require(byID[event.eventId ?? ""], "row of \(event.eventId ?? "")")
                let produced = try EnrichedEvent.parse(tsvLine: event.tsvLine()).get()  // what the topic carried
                for field in EnrichedEventField.all {
                    let stored = row[field.index]
                    switch field.type {
                    case .string, .json:
                        #expect((stored?.isEmpty ?? true ? nil : stored) == produced.withColumnReader { $0.string(at: field.index) }, "\(field.name)")
                    case .integer:
                        #expect(stored.flatMap { Int($0) } == produced.withColumnReader { $0.integer(at: field.index) }, "\(field.name): \(stored ?? "NULL")")
                    case .double:
                        #expect(stored.flatMap { Double($0) } == produced.withColumnReader { $0.double(at: field.index) }, "\(field.name): \(stored ?? "NULL")")
                    case .decimal:
                        let expected = produced.withColumnReader { $0.decimal(at: field.index) }.flatMap { Decimal(string: $0.text) }
                        #expect(stored.flatMap { Decimal(string: $0) } == expected, "\(field.name): \(stored ?? "NULL")")
                    case .boolean:
                        #expect(stored.map { $0 == "1" } == produced.withColumnReader { $0.boolean(at: field.index) }, "\(field.name)")
                    case .timestamp:
                        #expect(stored.flatMap { Int64($0) } == produced.withColumnReader { $0.timestamp(at: field.index) }?.millisecondsSinceEpoch, "\(field.name)")
                    }
                }
            }

            // The flattened entity columns of the full event.
            let flat = try #require(
                try await world.client.query(
                    "SELECT ua_family, ua_major, ua_os_family, ua_device_family, visitor_id, visitor_event_count, visitor_session_id, visitor_session_index, visitor_last_touch_source, visitor_last_touch_campaign, visitor_first_touch_medium, visitor_visit_count FROM \(world.database).events WHERE app_id = 'roundtrip' FORMAT TabSeparated"
                ).tabSeparatedRows().first)
            #expect(flat == ["Firefox", "121", "Ubuntu", "Other", "v-42", "17", "srv-9", "4", "Gmail", "spring", "", nil])
            let firstSeen = dialect == "legacy" ? "toUInt64(toUInt32(visitor_first_seen)) * 1000 + visitor_first_seen_ms" : "toUnixTimestamp64Milli(visitor_first_seen)"
            #expect(try await world.scalar("SELECT \(firstSeen) FROM \(world.database).events WHERE app_id = 'roundtrip'") == String(SnowplowTimestamp(iso8601: "2025-02-01T08:00:00.250Z")!.millisecondsSinceEpoch))

            // Everything committed once loaded.
            let committed = try await world.waitForCommitted(3)
            #expect(committed == 3)
            #expect(loader.stop(signal: SIGTERM) == 0, "graceful stop exits 0")
        } catch {
            await world.tearDown()
            throw error
        }
        await world.tearDown()
    }
}
