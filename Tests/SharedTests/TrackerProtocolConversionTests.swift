import Foundation
import Testing

@testable import Shared

@Suite("Parameter conversions (§1.4)")
struct TrackerProtocolConversionTests {
    @Test func timestampsFormatInUTCAndMatchFoundation() throws {
        let cases: [Int64] = [0, 1_700_000_000_123, 951_782_400_000 /* 2000-02-29 */, -1, -12_219_292_800_000, 253_402_300_799_999]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        for milliseconds in cases {
            let timestamp = try ParameterConversion.timestamp(String(milliseconds), field: "dtm").get()
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            #expect(timestamp?.formatted == expected, "\(milliseconds)")
        }
        #expect(try ParameterConversion.timestamp("+1000", field: "dtm").get()?.formatted == "1970-01-01 00:00:01.000")
        // Proleptic Gregorian like Joda's ISO chronology (Foundation switches to Julian before 1582).
        #expect(try ParameterConversion.timestamp("-62135596800000", field: "dtm").get()?.formatted == "0001-01-01 00:00:00.000")
        #expect(try ParameterConversion.timestamp(nil, field: "dtm").get() == nil)
    }

    @Test func timestampYearRangeIsZeroTo9999() throws {
        #expect(try ParameterConversion.timestamp("-62167219200000", field: "stm").get()?.formatted == "0000-01-01 00:00:00.000")
        for outOfRange in ["-62167219200001", "253402300800000", "9223372036854775807"] {
            guard case .failure(let violation) = ParameterConversion.timestamp(outOfRange, field: "stm") else {
                Issue.record("\(outOfRange) accepted")
                continue
            }
            #expect(violation.field == "stm")
            #expect(violation.value == outOfRange)
            #expect(violation.expectation.contains("0-9999"))
        }
    }

    @Test(arguments: ["", "abc", "1.5", "1e3", " 1", "9223372036854775808", "0x10", "--1"])
    func invalidTimestampsNameFieldValueAndExpectation(value: String) {
        let result = ParameterConversion.timestamp(value, field: "ttm")
        #expect(throws: ParameterViolation(.invalidValue, field: "ttm", value: value, expectation: "not in the expected format: ms since epoch")) {
            try result.get()
        }
    }

    @Test func dimensions() throws {
        #expect(try ParameterConversion.dimensions("1920x1080", field: "res").get() == ViewDimensions(width: 1920, height: 1080))
        #expect(try ParameterConversion.dimensions("0x0", field: "vp").get() == ViewDimensions(width: 0, height: 0))
        for bad in ["1920X1080", "1920x", "x1080", "1920x1080x1", "-1x2", "1 x2", "2147483648x1", "", "１x1"] {
            guard case .failure(let violation) = ParameterConversion.dimensions(bad, field: "ds") else {
                Issue.record("\(bad) accepted")
                continue
            }
            #expect(violation.field == "ds" && violation.value == bad && violation.kind == .invalidValue)
        }
    }

    @Test func booleansAreOnlyOneAndZero() throws {
        #expect(try ParameterConversion.boolean("1", field: "cookie").get() == true)
        #expect(try ParameterConversion.boolean("0", field: "cookie").get() == false)
        #expect(try ParameterConversion.boolean(nil, field: "cookie").get() == nil)
        for bad in ["true", "", "01", "yes"] {
            #expect(throws: ParameterViolation.self) { try ParameterConversion.boolean(bad, field: "f_pdf").get() }
        }
    }

    @Test func integersFollowJavaParseIntAndNullLiteral() throws {
        #expect(try ParameterConversion.integer("-12", field: "vid").get() == -12)
        #expect(try ParameterConversion.integer("+7", field: "vid").get() == 7)
        #expect(try ParameterConversion.integer("2147483647", field: "vid").get() == Int32.max)
        #expect(try ParameterConversion.integer("NULL", field: "pp_mix").get() == nil)
        for bad in ["2147483648", "1.0", "", "1e2", " 1"] {
            #expect(throws: ParameterViolation.self) { try ParameterConversion.integer(bad, field: "ti_qu").get() }
        }
    }

    @Test(arguments: [
        ("12.50", "12.50"), ("+1.5", "1.5"), ("-3", "-3"), ("1E+3", "1000"), ("1.5e-3", "0.0015"), ("-0", "0"),
        ("-0.00", "0.00"), ("007", "7"), (".5", "0.5"), ("5.", "5"), ("12345678901234567890.123456789", "12345678901234567890.123456789"),
        ("2.50E1", "25.0"), ("1E-1", "0.1"),
    ])
    func decimalsNormaliseLikeBigDecimalPlainString(input: String, plain: String) throws {
        #expect(try ParameterConversion.decimal(input, field: "se_va").get()?.plainText == plain)
    }

    @Test func decimalNullAndInvalidValues() throws {
        #expect(try ParameterConversion.decimal("null", field: "tr_tt").get() == nil)
        for bad in ["", "abc", "1..2", "1e", "1e+", "--1", "1,5", "NaN", "1E+999999999", "0x1"] {
            guard case .failure(let violation) = ParameterConversion.decimal(bad, field: "tr_tt") else {
                Issue.record("\(bad) accepted")
                continue
            }
            #expect(violation.field == "tr_tt" && violation.value == bad)
        }
    }

    @Test func uuidsAreCanonicalAndLowerCased() throws {
        #expect(try ParameterConversion.uuid("6F3C2B1A-0000-4000-8000-00000000ABCD", field: "sid").get() == "6f3c2b1a-0000-4000-8000-00000000abcd")
        for bad in ["6f3c2b1a00004000800000000000abcd", "6f3c2b1a-0000-4000-8000-00000000abc", "1-1-1-1-1", "6f3c2b1a-0000-4000-8000-00000000abcg", ""] {
            guard case .failure(let violation) = ParameterConversion.uuid(bad, field: "eid") else {
                Issue.record("\(bad) accepted")
                continue
            }
            #expect(violation.field == "eid" && violation.value == bad && violation.kind == .invalidValue)
        }
    }

    @Test func ipTakesTheFirstToken() {
        #expect(ParameterConversion.ipAddress("203.0.113.7, 10.0.0.1") == "203.0.113.7")
        #expect(ParameterConversion.ipAddress("2001:db8::1|10.0.0.1") == "2001:db8::1")
        #expect(ParameterConversion.ipAddress("1.2.3.4 5.6.7.8") == "1.2.3.4")
        #expect(ParameterConversion.ipAddress(",1.2.3.4") == nil)
        #expect(ParameterConversion.ipAddress(nil) == nil)
    }

    @Test func tsvSafeStrings() {
        #expect(ParameterConversion.tsvSafe("a\tb") == "a    b")
        #expect(ParameterConversion.tsvSafe("li\r\nne\u{0}\u{7F}é") == "lineé")
        #expect(ParameterConversion.tsvSafe("") == nil)
        #expect(ParameterConversion.tsvSafe("\n\r") == nil)
        #expect(ParameterConversion.tsvSafe("日本 😀") == "日本 😀")
    }

    @Test func eventTypesAndPlatforms() throws {
        let codes: [(String, TrackerEventType, String)] = [
            ("pv", .pageView, "page_view"), ("pp", .pagePing, "page_ping"), ("se", .structured, "struct"), ("ev", .structured, "struct"),
            ("ue", .unstructured, "unstruct"), ("tr", .transaction, "transaction"), ("ti", .transactionItem, "transaction_item"),
            ("ad", .adImpression, "ad_impression"),
        ]
        for (code, type, name) in codes {
            #expect(TrackerEventType(code: code) == type)
            #expect(type.eventName == name)
        }
        #expect(TrackerEventType(code: "xx") == .unknown("xx"))
        #expect(throws: ParameterViolation(.invalidValue, field: "e", value: "xx", expectation: "not recognized as an event type")) {
            try ParameterConversion.eventType("xx").get()
        }
        for code in ["web", "mob", "pc", "srv", "app", "tv", "cnsl", "iot", "headset"] {
            #expect(TrackerPlatform(code: code).isKnown && TrackerPlatform(code: code).code == code)
        }
        #expect(throws: ParameterViolation.self) { try ParameterConversion.platform("WEB").get() }
    }

    @Test func eventAccessorsApplyTheConversions() throws {
        let event = TrackerEvent(parameters: [
            "e": "ev", "ev_ca": "legacy", "se_ac": "act", "ev_va": "2.5", "ti_na": "name", "page": "T\title\n", "res": "bad",
            "tnuid": "t", "nuid": "n", "cookie": "1", "f_pdf": "0", "pp_max": "null",
        ])
        #expect(event.eventType == .structured)
        #expect(event.structCategory == "legacy")
        #expect(event.structAction == "act")
        #expect(try event.structValue.get()?.plainText == "2.5")
        #expect(event.itemName == "name")
        #expect(event.pageTitle == "T    itle")
        #expect(event.effectiveNetworkUserID == "t")
        #expect(try event.cookiesEnabled.get() == true)
        #expect(try event.browserFeature(.featurePDF).get() == false)
        #expect(try event.pingXOffsetMax.get() == nil)
        #expect(try event.deviceCreatedTimestamp.get() == nil)
        guard case .failure(let violation) = event.screenResolution else {
            Issue.record("bad res accepted")
            return
        }
        #expect(violation.field == "res" && violation.value == "bad")
    }
}
