import Foundation
import Testing

@testable import Shared

@Suite struct EnrichedEventTimestampTests {
    static func millis(_ text: String) -> Int64? { SnowplowTimestamp(tsv: text)?.millisecondsSinceEpoch }

    @Test(arguments: [
        ("1970-01-01 00:00:00.000", Int64(0)),
        ("1969-12-31 23:59:59.999", Int64(-1)),
        ("2000-02-29 00:00:00.000", Int64(951_782_400_000)),
        ("1900-03-01 00:00:00.000", Int64(-2_203_891_200_000)),
        ("2024-02-29 13:05:09.042", Int64(1_709_211_909_042)),
        ("0001-01-01 00:00:00.000", Int64(-62_135_596_800_000)),
        ("9999-12-31 23:59:59.999", Int64(253_402_300_799_999)),
        ("2038-01-19 03:14:08.000", Int64(2_147_483_648_000)),
    ])
    func rendersAndParsesKnownInstants(text: String, milliseconds: Int64) throws {
        let timestamp = try #require(SnowplowTimestamp(millisecondsSinceEpoch: milliseconds))
        #expect(timestamp.tsvString == text)
        #expect(Self.millis(text) == milliseconds)
        #expect(timestamp.iso8601String == text.replacingOccurrences(of: " ", with: "T") + "Z")
    }

    @Test func earliestAndLatestBoundTheRange() {
        #expect(SnowplowTimestamp.earliest.tsvString == "0001-01-01 00:00:00.000")
        #expect(SnowplowTimestamp.latest.tsvString == "9999-12-31 23:59:59.999")
        #expect(SnowplowTimestamp(millisecondsSinceEpoch: SnowplowTimestamp.earliest.millisecondsSinceEpoch - 1) == nil)
        #expect(SnowplowTimestamp(millisecondsSinceEpoch: SnowplowTimestamp.latest.millisecondsSinceEpoch + 1) == nil)
    }

    /// Independent oracle: Foundation's Gregorian calendar, over random instants across the range.
    @Test func agreesWithFoundationCalendarOnRandomInstants() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SystemRandomNumberGenerator()
        // 1583 onwards: Foundation switches to the Julian calendar before the Gregorian reform.
        let low = try #require(Self.millis("1583-01-01 00:00:00.000"))
        let high = SnowplowTimestamp.latest.millisecondsSinceEpoch
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: low...high, using: &generator)
            let timestamp = try #require(SnowplowTimestamp(millisecondsSinceEpoch: milliseconds))
            let seconds = Double(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient)
                - (milliseconds % 1000 < 0 ? 1 : 0)
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
            let expected = String(
                format: "%04d-%02d-%02d %02d:%02d:%02d.%03d", parts.year!, parts.month!, parts.day!, parts.hour!,
                parts.minute!, parts.second!, Int((milliseconds % 1000 + 1000) % 1000))
            #expect(timestamp.tsvString == expected)
            #expect(timestamp.iso8601String == expected.replacingOccurrences(of: " ", with: "T") + "Z")
            #expect(Self.millis(expected) == milliseconds)
            // Appended after other bytes, the form is the same.
            var bytes: [UInt8] = [1, 2]
            timestamp.appendTSV(to: &bytes)
            #expect(bytes == [1, 2] + Array(expected.utf8))
        }
    }

    @Test func roundsDatesToTheNearestMillisecond() {
        #expect(SnowplowTimestamp(Date(timeIntervalSince1970: 1.0006))?.millisecondsSinceEpoch == 1001)
        #expect(SnowplowTimestamp(Date(timeIntervalSince1970: 1.0004))?.millisecondsSinceEpoch == 1000)
        #expect(SnowplowTimestamp(Date(timeIntervalSince1970: -0.0006))?.tsvString == "1969-12-31 23:59:59.999")
        #expect(SnowplowTimestamp(Date(timeIntervalSince1970: 1_700_000_000.9996))?.tsvString == "2023-11-14 22:13:21.000")
        #expect(SnowplowTimestamp(Date(timeIntervalSince1970: .infinity)) == nil)
        #expect(SnowplowTimestamp(Date(timeIntervalSince1970: 1e15)) == nil)  // year 33658
    }

    @Test func acceptsTheTSVFormWithoutMilliseconds() {
        #expect(Self.millis("2024-02-29 13:05:09") == 1_709_211_909_000)
    }

    @Test(arguments: [
        "", "2024-02-30 00:00:00.000", "2023-02-29 00:00:00.000", "1900-02-29 00:00:00.000", "2024-13-01 00:00:00.000",
        "2024-00-01 00:00:00.000", "2024-01-01 24:00:00.000", "2024-01-01 00:60:00.000", "2024-01-01 00:00:60.000",
        "0000-01-01 00:00:00.000", "2024-01-01T00:00:00.000", "2024-01-01 00:00:00.00", "2024-01-01 00:00:00.0000",
        "2024-1-01 00:00:00.000", "2024-01-01 00:00:00,000", " 2024-01-01 00:00:00.000", "２０２４-01-01 00:00:00.000",
    ])
    func rejectsMalformedOrImpossibleTimestamps(text: String) {
        #expect(SnowplowTimestamp(tsv: text) == nil)
    }

    @Test func instantFormOmitsZeroMillisecondsLikeJava() throws {
        #expect(try #require(SnowplowTimestamp(tsv: "2020-05-06 07:08:09.000")).instantString == "2020-05-06T07:08:09Z")
        #expect(try #require(SnowplowTimestamp(tsv: "2020-05-06 07:08:09.100")).instantString == "2020-05-06T07:08:09.100Z")
    }

    @Test func basicFormNamesCollectorLogFiles() throws {
        #expect(try #require(SnowplowTimestamp(tsv: "2026-11-27 01:15:00.123")).basicISO8601String == "20261127T011500.123Z")
        #expect(try #require(SnowplowTimestamp(tsv: "0001-01-01 00:00:00.000")).basicISO8601String == "00010101T000000.000Z")
        #expect(CollectorLogNaming.isFinished("c." + SnowplowTimestamp.now().basicISO8601String + ".log"))
    }

    @Test func parsesISO8601WithAnyFractionPrecision() {
        #expect(SnowplowTimestamp(iso8601: "2020-05-06T07:08:09Z")?.tsvString == "2020-05-06 07:08:09.000")
        #expect(SnowplowTimestamp(iso8601: "2020-05-06T07:08:09.1Z")?.tsvString == "2020-05-06 07:08:09.100")
        #expect(SnowplowTimestamp(iso8601: "2020-05-06T07:08:09.123456789Z")?.tsvString == "2020-05-06 07:08:09.123")
        #expect(SnowplowTimestamp(iso8601: "2020-05-06T07:08:09.Z") == nil)
        #expect(SnowplowTimestamp(iso8601: "2020-05-06T07:08:09+00:00") == nil)
        #expect(SnowplowTimestamp(iso8601: "2020-05-06 07:08:09Z") == nil)
    }
}
