import Foundation

/// An instant in UTC with millisecond precision, the resolution of every Snowplow timestamp
/// (`collector_tstamp`, `dvce_created_tstamp`, `derived_tstamp`, bad-row failure times, …).
///
/// Renders and parses the forms Snowplow uses without `DateFormatter`: the calendar arithmetic is
/// done by hand (days ↔ civil date, proleptic Gregorian calendar) because it runs several times per
/// event on the hot path.
/// - ``tsvString``: `yyyy-MM-dd HH:mm:ss.SSS`, the enriched TSV form (and the form of timestamps in a
///   bad row's partially enriched event).
/// - ``iso8601String``: `yyyy-MM-ddTHH:mm:ss.SSSZ`, the Analytics SDK / Joda `DateTime` form.
/// - ``instantString``: like Java's `Instant.toString()`, the fraction omitted when it is zero
///   (bad-row `failure.timestamp`).
///
/// Only years 0001–9999 are representable (the four-digit `yyyy` of the TSV form), so the
/// initialisers that take arbitrary input are failable. A plain value: `Sendable`, freely copied.
public struct SnowplowTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01 00:00:00.000 UTC (negative before it).
    public let millisecondsSinceEpoch: Int64

    /// The earliest representable instant, 0001-01-01 00:00:00.000.
    public static let earliest = SnowplowTimestamp(unchecked: CivilTime.daysFromCivil(year: 1, month: 1, day: 1) * millisecondsPerDay)
    /// The latest representable instant, 9999-12-31 23:59:59.999.
    public static let latest = SnowplowTimestamp(
        unchecked: (CivilTime.daysFromCivil(year: 9999, month: 12, day: 31) + 1) * millisecondsPerDay - 1)

    static let millisecondsPerDay: Int64 = 86_400_000

    private init(unchecked milliseconds: Int64) {
        self.millisecondsSinceEpoch = milliseconds
    }

    /// Creates a timestamp from milliseconds since the Unix epoch, or `nil` when the instant falls
    /// outside years 0001–9999.
    public init?(millisecondsSinceEpoch: Int64) {
        guard millisecondsSinceEpoch >= Self.earliest.millisecondsSinceEpoch,
            millisecondsSinceEpoch <= Self.latest.millisecondsSinceEpoch
        else { return nil }
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Creates a timestamp from a `Date`, rounded to the nearest millisecond (halves away from zero),
    /// or `nil` when the date is not finite or falls outside years 0001–9999.
    public init?(_ date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.toNearestOrAwayFromZero)
        guard milliseconds.isFinite, milliseconds >= Double(Self.earliest.millisecondsSinceEpoch),
            milliseconds <= Double(Self.latest.millisecondsSinceEpoch)
        else { return nil }
        self.init(unchecked: Int64(milliseconds))
    }

    /// The current time, truncated to the millisecond.
    public static func now() -> SnowplowTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return SnowplowTimestamp(unchecked: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// The same instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }

    public static func < (lhs: SnowplowTimestamp, rhs: SnowplowTimestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// The TSV form, e.g. `2024-02-29 13:05:09.042`.
    public var description: String { tsvString }

    // MARK: Calendar fields

    /// The broken-down UTC calendar time of this instant.
    var civilTime: CivilTime {
        let milliseconds = millisecondsSinceEpoch
        // Floor division so that instants before 1970 land on the right day.
        var days = milliseconds / Self.millisecondsPerDay
        var millisecondOfDay = milliseconds - days * Self.millisecondsPerDay
        if millisecondOfDay < 0 {
            days -= 1
            millisecondOfDay += Self.millisecondsPerDay
        }
        let (year, month, day) = CivilTime.civilFromDays(days)
        let secondOfDay = millisecondOfDay / 1000
        return CivilTime(
            year: Int(year), month: Int(month), day: Int(day),
            hour: Int(secondOfDay / 3600), minute: Int(secondOfDay / 60 % 60), second: Int(secondOfDay % 60),
            millisecond: Int(millisecondOfDay % 1000))
    }

    // MARK: Rendering

    /// `yyyy-MM-dd HH:mm:ss.SSS`, the enriched TSV form.
    public var tsvString: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        appendTSV(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ`, the ISO-8601 form of the Analytics SDKs and Joda `DateTime`.
    public var iso8601String: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ISO-8601 like Java's `Instant.toString()`: `yyyy-MM-ddTHH:mm:ss.SSSZ`, or
    /// `yyyy-MM-ddTHH:mm:ssZ` when the milliseconds are zero.
    public var instantString: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendDateTime(to: &bytes, separator: UInt8(ascii: "T"), milliseconds: millisecondsSinceEpoch % 1000 != 0, zone: UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `yyyyMMddTHHmmss.SSSZ`, the ISO-8601 basic format (no `-` or `:`), for file names.
    public var basicISO8601String: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        let time = civilTime
        for (value, digits) in [(time.year, 4), (time.month, 2), (time.day, 2)] {
            CivilTime.appendDigits(value, count: digits, to: &bytes)
        }
        bytes.append(UInt8(ascii: "T"))
        for value in [time.hour, time.minute, time.second] { CivilTime.appendDigits(value, count: 2, to: &bytes) }
        bytes.append(UInt8(ascii: "."))
        CivilTime.appendDigits(time.millisecond, count: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the TSV form (23 bytes) to `bytes`.
    public func appendTSV(to bytes: inout [UInt8]) {
        appendDateTime(to: &bytes, separator: UInt8(ascii: " "), milliseconds: true, zone: nil)
    }

    /// Writes the TSV form (exactly 23 bytes, as ``appendTSV(to:)``) into `buffer`.
    func writeTSV(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        let time = civilTime
        time.writeDateAndTime(into: buffer, separator: UInt8(ascii: " "))
        buffer[19] = UInt8(ascii: ".")
        CivilTime.writeDigits(time.millisecond, count: 3, into: buffer, at: 20)
    }

    /// Appends the ISO-8601 form with milliseconds (24 bytes) to `bytes`.
    public func appendISO8601(to bytes: inout [UInt8]) {
        appendDateTime(to: &bytes, separator: UInt8(ascii: "T"), milliseconds: true, zone: UInt8(ascii: "Z"))
    }

    /// `yyyy-MM-dd<separator>HH:mm:ss`, then `.SSS` if `milliseconds`, then `zone` if any — written into a
    /// small buffer and appended at once (every enriched event has several timestamps; byte-by-byte
    /// appends checked the array each time).
    private func appendDateTime(to bytes: inout [UInt8], separator: UInt8, milliseconds: Bool, zone: UInt8?) {
        let time = civilTime
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            time.writeDateAndTime(into: buffer, separator: separator)
            var count = 19
            if milliseconds {
                buffer[19] = UInt8(ascii: ".")
                CivilTime.writeDigits(time.millisecond, count: 3, into: buffer, at: 20)
                count = 23
            }
            if let zone {
                buffer[count] = zone
                count += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    // MARK: Parsing

    /// Parses the TSV form `yyyy-MM-dd HH:mm:ss.SSS`, also accepted without the milliseconds
    /// (`yyyy-MM-dd HH:mm:ss`). Returns `nil` for anything else, including impossible dates.
    public init?(tsv text: some StringProtocol) {
        var text = String(text)
        guard let value = text.withUTF8({ Self.parseTSV(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = value
    }

    /// Parses the TSV form from UTF-8 bytes; see ``init(tsv:)``.
    static func parseTSV(_ bytes: UnsafeRawBufferPointer) -> SnowplowTimestamp? {
        guard bytes.count == 19 || bytes.count == 23 else { return nil }
        guard let time = CivilTime.parseDateAndTime(bytes, separator: UInt8(ascii: " ")) else { return nil }
        var millisecond = 0
        if bytes.count == 23 {
            guard bytes[19] == UInt8(ascii: "."), let value = CivilTime.parseDigits(bytes, from: 20, count: 3) else {
                return nil
            }
            millisecond = value
        }
        return time.timestamp(millisecond: millisecond)
    }

    /// Parses ISO-8601 UTC as written by Snowplow components: `yyyy-MM-ddTHH:mm:ss[.f…]Z` with 0–9
    /// fraction digits (truncated to the millisecond, as `Instant.toEpochMilli()` does).
    public init?(iso8601 text: some StringProtocol) {
        var text = String(text)
        guard let value = text.withUTF8({ Self.parseISO8601(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = value
    }

    static func parseISO8601(_ bytes: UnsafeRawBufferPointer) -> SnowplowTimestamp? {
        guard bytes.count >= 20, bytes[bytes.count - 1] == UInt8(ascii: "Z"),
            let time = CivilTime.parseDateAndTime(bytes, separator: UInt8(ascii: "T"))
        else { return nil }
        var millisecond = 0
        if bytes.count > 20 {
            let fractionDigits = bytes.count - 21
            guard bytes[19] == UInt8(ascii: "."), (1...9).contains(fractionDigits) else { return nil }
            for index in 20..<(20 + fractionDigits) {
                guard let digit = CivilTime.digit(bytes[index]) else { return nil }
                if index < 23 { millisecond = millisecond * 10 + digit }
            }
            if fractionDigits < 3 {
                for _ in fractionDigits..<3 { millisecond *= 10 }
            }
        }
        return time.timestamp(millisecond: millisecond)
    }
}

/// A broken-down UTC date and time, and the day-count arithmetic behind ``SnowplowTimestamp``.
///
/// `civilFromDays`/`daysFromCivil` are Howard Hinnant's era-based algorithms for the proleptic
/// Gregorian calendar: exact for any day count, no tables, no loops.
struct CivilTime {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int

    /// (year, month 1–12, day 1–31) of the day `days` after 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468  // days since 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097  // [0, 146096]
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // [0, 399]
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // [0, 365], from March 1
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // [0, 11], March = 0
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Days from 1970-01-01 to the given civil date (negative before it).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400  // [0, 399]
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1  // [0, 365]
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // [0, 146096]
        return era * 146_097 + dayOfEra - 719_468
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The instant of this date and time plus `millisecond`, or `nil` if out of range.
    func timestamp(millisecond: Int) -> SnowplowTimestamp? {
        let days = Self.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let secondOfDay = Int64(hour * 3600 + minute * 60 + second)
        return SnowplowTimestamp(
            millisecondsSinceEpoch: days * SnowplowTimestamp.millisecondsPerDay + secondOfDay * 1000 + Int64(millisecond))
    }

    /// Writes `yyyy-MM-dd<separator>HH:mm:ss` (19 bytes) at the start of `buffer`.
    func writeDateAndTime(into buffer: UnsafeMutableBufferPointer<UInt8>, separator: UInt8) {
        Self.writeDigits(year, count: 4, into: buffer, at: 0)
        buffer[4] = UInt8(ascii: "-")
        Self.writeDigits(month, count: 2, into: buffer, at: 5)
        buffer[7] = UInt8(ascii: "-")
        Self.writeDigits(day, count: 2, into: buffer, at: 8)
        buffer[10] = separator
        Self.writeDigits(hour, count: 2, into: buffer, at: 11)
        buffer[13] = UInt8(ascii: ":")
        Self.writeDigits(minute, count: 2, into: buffer, at: 14)
        buffer[16] = UInt8(ascii: ":")
        Self.writeDigits(second, count: 2, into: buffer, at: 17)
    }

    /// ``appendDigits(_:count:to:)`` into `buffer` at `offset` (same digits).
    static func writeDigits(_ value: Int, count: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var remainder = value
        var position = offset + count - 1
        while position > offset {
            buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remainder % 10)
            remainder /= 10
            position -= 1
        }
        buffer[offset] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remainder)
    }

    /// Appends `value` as exactly `count` zero-padded decimal digits (value must fit).
    static func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var remainder = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remainder / divisor))
            remainder %= divisor
            divisor /= 10
        }
    }

    static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte &- UInt8(ascii: "0")) : nil
    }

    static func parseDigits(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            guard let digit = digit(bytes[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// Parses and range-checks `yyyy-MM-dd<separator>HH:mm:ss` from the first 19 bytes.
    static func parseDateAndTime(_ bytes: UnsafeRawBufferPointer, separator: UInt8) -> CivilTime? {
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == separator, bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = parseDigits(bytes, from: 0, count: 4), let month = parseDigits(bytes, from: 5, count: 2),
            let day = parseDigits(bytes, from: 8, count: 2), let hour = parseDigits(bytes, from: 11, count: 2),
            let minute = parseDigits(bytes, from: 14, count: 2), let second = parseDigits(bytes, from: 17, count: 2),
            year >= 1, (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        return CivilTime(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: 0)
    }
}
