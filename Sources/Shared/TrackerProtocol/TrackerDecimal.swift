/// A decimal amount (`se_va`, `tr_tt`, `tr_tx`, `tr_sh`, `ti_pr`) kept as a validated, normalised
/// plain decimal string.
///
/// Why a string and not `Foundation.Decimal`: enrich stores a `java.math.BigDecimal` and writes its
/// plain text; the loader hands text to ClickHouse's `Decimal` parser anyway; `Decimal` has a 38-digit
/// mantissa, rounds silently and costs more per event. ``plainText`` matches
/// `new BigDecimal(s)` with a negative scale set to 0, printed with `toPlainString()`:
/// `"+1.50"` → `1.50`, `"1E+3"` → `1000`, `"1.5e-3"` → `0.0015`, `"-0"` → `0`, `"007"` → `7`.
public struct TrackerDecimal: Sendable, Hashable, CustomStringConvertible {
    /// The normalised plain decimal text (`-?digits(.digits)?`, no exponent).
    public let plainText: String

    /// Longest plain text accepted (guards against `1E+999999999`). Default: 256 characters.
    public static let maximumLength = 256

    /// Parses the `BigDecimal` grammar: `[+-]` then `digits[.digits]`, `digits.` or `.digits`, then an
    /// optional `e`/`E` exponent with optional sign.
    public static func parse(_ text: String) -> Result<TrackerDecimal, ParameterViolation.Reason> {
        let failure = ParameterViolation.Reason("a decimal number, e.g. 12.50 or 1.2E3")
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        var mantissaDigits = 0
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return .failure(failure) }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits.append(byte)
                mantissaDigits += 1
                if seenPoint { fractionDigits += 1 }
            } else {
                return .failure(failure)
            }
        }
        guard mantissaDigits > 0 else { return .failure(failure) }
        var exponent = 0
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()  // e / E
            guard let value = JavaNumber.parseInt32(String(decoding: bytes, as: UTF8.self)) else { return .failure(failure) }
            exponent = Int(value)
        }
        // Unscaled digits without leading zeros; scale = fraction digits - exponent.
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        let isZero = digits == [UInt8(ascii: "0")]
        var scale = fractionDigits - exponent
        if scale < 0 {
            guard digits.count - scale <= maximumLength else { return .failure(.init("a decimal number of at most \(maximumLength) digits")) }
            if !isZero { digits.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -scale)) }
            scale = 0
        }
        guard scale <= maximumLength else { return .failure(.init("a decimal number of at most \(maximumLength) digits")) }
        var output: [UInt8] = []
        if negative && !isZero { output.append(UInt8(ascii: "-")) }
        if scale == 0 {
            output.append(contentsOf: digits)
        } else {
            if digits.count <= scale {
                digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - digits.count + 1), at: 0)
            }
            output.append(contentsOf: digits[..<(digits.count - scale)])
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: digits[(digits.count - scale)...])
        }
        return .success(TrackerDecimal(plainText: String(decoding: output, as: UTF8.self)))
    }

    private init(plainText: String) { self.plainText = plainText }

    /// ``plainText``.
    public var description: String { plainText }
}
