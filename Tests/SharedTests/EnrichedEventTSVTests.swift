import Foundation
import Testing

@testable import Shared

/// Events used by the enriched-event and bad-row tests.
enum EnrichedEventSamples {
    static func timestamp(_ text: String) -> SnowplowTimestamp {
        guard let value = SnowplowTimestamp(tsv: text) else { preconditionFailure("bad fixture \(text)") }
        return value
    }

    static let contexts =
        #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[{"schema":"iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0","data":{"id":"0f8a3c2e-4b61-4f47-8c7d-2f3a4b5c6d7e"}},{"schema":"iglu:com.acme-corp.shop/CartItem/jsonschema/2-1-0","data":{"sku":"ß-42","qty":2,"price":9.99,"tags":["a","b"],"gift":false,"note":null}},{"schema":"iglu:com.acme-corp.shop/CartItem/jsonschema/2-0-0","data":{"sku":"日本","qty":1}}]}"#
    static let unstructEvent =
        #"{"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0","data":{"schema":"iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1","data":{"targetUrl":"https://example.com/a?b=c&d=\"e\"","elementClasses":["x","y"]}}}"#
    static let derivedContexts =
        #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[{"schema":"iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0","data":{"useragentFamily":"Chrome","osFamily":"Linux"}},{"schema":"iglu:nl.basjes/yauaa_context/jsonschema/1-0-5","data":{"deviceClass":"Desktop"}}]}"#

    /// Every one of the 131 columns set, with TSV-safe values: unicode, negative numbers, decimals,
    /// calendar edge cases.
    static var full: EnrichedEvent {
        var event = EnrichedEvent()
        var timestamps = [
            "0001-01-01 00:00:00.000", "9999-12-31 23:59:59.999", "1969-12-31 23:59:59.999", "2000-02-29 12:00:00.001",
            "1900-03-01 00:00:00.000", "2024-02-29 23:59:59.999", "1970-01-01 00:00:00.000",
        ].makeIterator()
        var decimals = ["-12.50", "0.001", "1000", "3.0E+2", "-0", "12345678901234567890.123456789", "0.5", "99.99", "-7"]
            .makeIterator()
        var flag = false
        var integer = -3
        event.withMutableColumns { target in
            for field in EnrichedEventField.all {
                let layout = EnrichedEventField.layout[field.index]
                switch field.type {
                case .string: layout.write("\(field.name) ✓ Grüße 日本 👋 \"q\" \\ #\(field.number)", to: target)
                case .json: break
                case .integer:
                    integer = integer * -7 + 1
                    layout.write(integer, to: target)
                case .double: break
                case .decimal: layout.write(SnowplowDecimal(decimals.next() ?? "1")!, to: target)
                case .boolean:
                    flag.toggle()
                    layout.write(flag, to: target)
                case .timestamp: layout.write(timestamp(timestamps.next() ?? "2020-01-01 00:00:00.000"), to: target)
                }
            }
        }
        event.txnId = Int.max
        event.ppXoffsetMin = Int.min
        event.geoLatitude = -33.8688
        event.geoLongitude = 1e-05
        event.contexts = contexts
        event.unstructEvent = unstructEvent
        event.derivedContexts = derivedContexts
        return event
    }

    /// The fewest columns a real event has.
    static var minimal: EnrichedEvent {
        var event = EnrichedEvent()
        event.platform = "srv"
        event.collectorTstamp = timestamp("2024-06-01 10:00:00.123")
        event.event = "struct"
        event.eventId = "c6ef3124-b53a-4b13-a233-0088f79dcbcb"
        event.vCollector = "freshet-collector-0.1.0"
        event.vEtl = "freshet-enricher-0.1.0"
        return event
    }
}

@Suite struct EnrichedEventTSVTests {
    static func columns(_ line: String) -> [Substring] {
        line.split(separator: "\t", omittingEmptySubsequences: false)
    }

    @Test func everyColumnSetRoundTripsExactly() throws {
        let event = EnrichedEventSamples.full
        let line = event.tsvLine()
        let columns = Self.columns(line)
        #expect(columns.count == 131)
        #expect(columns.allSatisfy { !$0.isEmpty })
        #expect(!line.contains("\n"))
        let parsed = try EnrichedEvent.parse(tsvLine: line, validatingJSON: true).get()
        #expect(parsed == event)
        #expect(parsed.tsvLine() == line)
        // Bytes and String entry points agree.
        #expect(try EnrichedEvent.parse(tsvBytes: Array(line.utf8)).get() == event)
    }

    @Test func columnsAreWrittenInSnowplowOrderWithSnowplowFormats() {
        let columns = Self.columns(EnrichedEventSamples.full.tsvLine())
        #expect(columns[0] == "app_id ✓ Grüße 日本 👋 \"q\" \\ #1")
        #expect(columns[2] == "0001-01-01 00:00:00.000")  // etl_tstamp
        #expect(columns[3] == "9999-12-31 23:59:59.999")  // collector_tstamp
        #expect(columns[7] == "9223372036854775807")  // txn_id
        #expect(columns[22] == "-33.8688")  // geo_latitude
        #expect(columns[23] == "1e-05")
        #expect(columns[52] == Substring(EnrichedEventSamples.contexts))
        #expect(columns[57] == "-12.50")  // se_value
        #expect(columns[73] == "-9223372036854775808")  // pp_xoffset_min
        #expect(columns[84] == "1" && columns[85] == "0")  // br_features_pdf, br_features_flash
        #expect(columns[121] == "1900-03-01 00:00:00.000")  // refr_dvce_tstamp
        #expect(columns[130] == "1970-01-01 00:00:00.000")  // true_tstamp
    }

    @Test func minimalEventHasEmptyColumnsForNil() throws {
        let event = EnrichedEventSamples.minimal
        let line = event.tsvLine()
        let columns = Self.columns(line)
        #expect(columns.count == 131)
        #expect(columns.filter { !$0.isEmpty }.count == 6)
        #expect(columns[1] == "srv" && columns[3] == "2024-06-01 10:00:00.123")
        #expect(try EnrichedEvent.parse(tsvLine: line).get() == event)
        #expect(EnrichedEvent().tsvLine() == String(repeating: "\t", count: 130))
        #expect(try EnrichedEvent.parse(tsvLine: String(repeating: "\t", count: 130)).get() == EnrichedEvent())
    }

    @Test func stringsAreMadeTSVSafeLikeEnrich() throws {
        var event = EnrichedEventSamples.minimal
        event.pageTitle = "a\tb\nc\r\nd\u{0}e\u{7F}f\u{1F}g ü"
        event.useragent = "\n\t"
        event.appId = "\u{1}\u{2}"
        event.contexts = "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1\",\n\"data\":[]}"
        let line = event.tsvLine()
        #expect(Self.columns(line).count == 131)
        #expect(!line.contains("\n") && !line.contains("\r"))
        let parsed = try EnrichedEvent.parse(tsvLine: line, validatingJSON: true).get()
        #expect(parsed.pageTitle == "a    bcdefg ü")
        #expect(parsed.useragent == "    ")
        #expect(parsed.appId == nil)  // empty after cleaning, like enrich's makeTsvSafe
        #expect(parsed.contexts == "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1\",\"data\":[]}")
        #expect(parsed.tsvLine() == line)
        #expect(EnrichedEvent.tsvSafe("x\ty") == "x    y")
        #expect(EnrichedEvent.tsvSafe("plain") == "plain")
    }

    @Test func nonFiniteCoordinatesAreWrittenAsEmpty() throws {
        var event = EnrichedEventSamples.minimal
        event.geoLatitude = .nan
        event.geoLongitude = .infinity
        let parsed = try EnrichedEvent.parse(tsvLine: event.tsvLine()).get()
        #expect(parsed.geoLatitude == nil && parsed.geoLongitude == nil)
    }

    @Test(arguments: [0, 1, 130, 132, 200])
    func wrongColumnCountIsReported(columns: Int) {
        let line = Array(repeating: "", count: columns).joined(separator: "\t")
        let result = EnrichedEvent.parse(tsvLine: line)
        #expect(throws: EnrichedEventTSVError.wrongColumnCount(expected: 131, actual: max(columns, 1))) { try result.get() }
    }

    @Test(arguments: [
        ("txn_id", "12a"), ("txn_id", "1.5"), ("txn_id", "99999999999999999999"), ("txn_id", "-"), ("txn_id", "+5"),
        ("page_urlport", " 80"), ("geo_latitude", "NaN"), ("geo_latitude", "Infinity"), ("geo_longitude", "0x1p3"),
        ("geo_longitude", "1,5"), ("se_value", "1e"), ("tr_total", "007"), ("tr_total", ".5"), ("ti_price", "12.50 EUR"),
        ("br_cookies", "true"), ("br_cookies", "2"), ("dvce_ismobile", "10"), ("collector_tstamp", "2024-02-30 00:00:00.000"),
        ("etl_tstamp", "1717000000123"), ("true_tstamp", "2024-06-01T10:00:00.000Z"), ("contexts", "not json"),
        ("unstruct_event", "[1,2]"),
    ])
    func invalidValuesNameTheColumnAndValue(name: String, value: String) throws {
        let field = try #require(EnrichedEventField.named(name))
        var columns = Array(repeating: "", count: 131)
        columns[field.index] = value
        let result = EnrichedEvent.parse(tsvLine: columns.joined(separator: "\t"))
        #expect(throws: EnrichedEventTSVError.invalidValue(field: field, value: value)) { try result.get() }
        if case .failure(let error) = result {
            #expect(error.description.contains(name) && error.description.contains(value))
        }
    }

    @Test func fullJSONValidationRejectsBrokenJSONThatLooksLikeAnObject() throws {
        let field = try #require(EnrichedEventField.named("contexts"))
        var columns = Array(repeating: "", count: 131)
        columns[field.index] = "{\"schema\": }"
        let line = columns.joined(separator: "\t")
        #expect(throws: EnrichedEventTSVError.invalidValue(field: field, value: "{\"schema\": }")) {
            try EnrichedEvent.parse(tsvLine: line, validatingJSON: true).get()
        }
        #expect((try? EnrichedEvent.parse(tsvLine: line).get())?.contexts == "{\"schema\": }")
    }

    @Test func lenientFloatSpellingsAreAcceptedForCoordinates() throws {
        let latitude = try #require(EnrichedEventField.named("geo_latitude"))
        for (text, value) in [("+1.5", 1.5), ("01.5", 1.5), ("1.", 1.0), (".5", 0.5), ("1.0E-5", 1e-5), ("-0.0", -0.0)] {
            var columns = Array(repeating: "", count: 131)
            columns[latitude.index] = text
            #expect(try EnrichedEvent.parse(tsvLine: columns.joined(separator: "\t")).get().geoLatitude == value, "\(text)")
        }
    }

    @Test func invalidUTF8InAStringColumnIsReported() throws {
        let field = try #require(EnrichedEventField.named("page_title"))
        var bytes: [UInt8] = []
        for index in 0..<131 {
            if index > 0 { bytes.append(0x09) }
            if index == field.index { bytes += [0x61, 0xFF, 0x62] }
        }
        guard case .failure(.invalidValue(let reported, _)) = EnrichedEvent.parse(tsvBytes: bytes) else {
            Issue.record("invalid UTF-8 accepted")
            return
        }
        #expect(reported == field)
    }

    @Test func decimalsKeepTheirTextAndNormalizeLikeBigDecimal() {
        #expect(SnowplowDecimal("12.50")?.text == "12.50")
        #expect(SnowplowDecimal("-0.5e-3") != nil)
        for bad in ["", "+1", "01", ".5", "5.", "1e", "NaN", "1 ", "--1", "0x10"] {
            #expect(SnowplowDecimal(bad) == nil, "\(bad)")
        }
        let normalized: [(String, String)] = [
            ("12.50", "12.50"), ("1e3", "1000"), ("+0012", "12"), ("1E-3", "0.001"), (".5", "0.5"), ("5.", "5"),
            ("-0.0", "0.0"), ("-1.25E+1", "-12.5"), ("123.456e-5", "0.00123456"), ("0e10", "0"),
        ]
        for (input, expected) in normalized {
            #expect(SnowplowDecimal(normalizing: input)?.text == expected, "\(input)")
        }
        for bad in ["", "abc", "1e", "1.2.3", "1e99999", "--1", "."] {
            #expect(SnowplowDecimal(normalizing: bad) == nil, "\(bad)")
        }
        #expect(SnowplowDecimal(-42).text == "-42")
        #expect(SnowplowDecimal("12.50")?.doubleValue == 12.5)
    }
}
