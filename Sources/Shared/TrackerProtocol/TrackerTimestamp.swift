/// A tracker timestamp (`dtm`, `stm`, `ttm`): milliseconds since the Unix epoch, UTC, restricted
/// like enrich to dates in the years 0…9999 (the range its `yyyy-MM-dd HH:mm:ss.SSS` format and
/// Redshift/ClickHouse can hold).
public struct TrackerTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millisecondsSinceEpoch: Int64

    /// 0000-01-01T00:00:00.000Z.
    public static let minimumMilliseconds: Int64 = -62_167_219_200_000
    /// 9999-12-31T23:59:59.999Z.
    public static let maximumMilliseconds: Int64 = 253_402_300_799_999

    /// A timestamp; `nil` outside years 0…9999.
    public init?(millisecondsSinceEpoch: Int64) {
        guard (Self.minimumMilliseconds...Self.maximumMilliseconds).contains(millisecondsSinceEpoch) else { return nil }
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Parses a tracker value as enrich does (`String.toLong`: optional sign, ASCII digits, 64-bit)
    /// and checks the year range. Failure messages use enrich's wording.
    public static func parse(_ text: String) -> Result<TrackerTimestamp, ParameterViolation.Reason> {
        guard let milliseconds = JavaNumber.parseInt64(text) else {
            return .failure(.init("not in the expected format: ms since epoch"))
        }
        guard let timestamp = TrackerTimestamp(millisecondsSinceEpoch: milliseconds) else {
            return .failure(.init("a date in the years 0-9999 (\(milliseconds) ms since epoch is out of range)"))
        }
        return .success(timestamp)
    }

    /// Calendar fields in UTC (proleptic Gregorian, astronomical year numbering).
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        let milliseconds = millisecondsSinceEpoch
        var days = milliseconds / 86_400_000
        var rest = milliseconds % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        // Days → civil date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let millisecondOfDay = Int(rest)
        return (
            Int(year), Int(month), Int(day), millisecondOfDay / 3_600_000, millisecondOfDay / 60_000 % 60,
            millisecondOfDay / 1000 % 60, millisecondOfDay % 1000
        )
    }

    /// `yyyy-MM-dd HH:mm:ss.SSS` in UTC — the enriched-event timestamp format.
    public var formatted: String {
        let c = components
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)).\(pad(c.millisecond, 3))"
    }

    /// ``formatted``.
    public var description: String { formatted }

    public static func < (lhs: TrackerTimestamp, rhs: TrackerTimestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }
}
