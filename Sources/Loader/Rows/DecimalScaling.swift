/// Turns the exact text of a ``Shared/SnowplowDecimal`` into the scaled integer of a ClickHouse
/// `Decimal(38, scale)` column, refusing — never rounding — a value that does not fit. Pure.
enum DecimalScaling {
    /// Why a decimal does not fit.
    enum Failure: Error, Equatable {
        /// More than `scale` fractional digits that are not zeros.
        case tooManyFractionalDigits
        /// More than `38 − scale` integer digits.
        case tooLarge
        /// Not a JSON number.
        case notANumber
    }

    /// `text` (a JSON number: `-?digits(.digits)?([eE][+-]?digits)?`) × 10^`scale`.
    static func scaled(_ text: String, scale: Int) -> Result<Int128, Failure> {
        var negative = false
        var digits: [UInt8] = []  // all mantissa digits, without leading zeros
        var pointPosition: Int? = nil  // digits before the point
        var exponent = 0
        var seenDigit = false
        var utf8 = Array(text.utf8)[...]
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8 = utf8.dropFirst()
        }
        while let byte = utf8.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            utf8 = utf8.dropFirst()
            if byte == UInt8(ascii: ".") {
                guard pointPosition == nil else { return .failure(.notANumber) }
                pointPosition = digits.count
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                seenDigit = true
                if digits.isEmpty && byte == UInt8(ascii: "0") && pointPosition == nil { continue }
                digits.append(byte - UInt8(ascii: "0"))
            } else {
                return .failure(.notANumber)
            }
        }
        guard seenDigit else { return .failure(.notANumber) }
        if !utf8.isEmpty {
            utf8 = utf8.dropFirst()
            guard let value = Int(String(decoding: utf8, as: UTF8.self)), abs(value) < 1000 else { return .failure(.notANumber) }
            exponent = value
        }
        // value = 0.digits-with-point…: the digit at index i has weight 10^(integerDigits - 1 - i).
        let integerDigits = (pointPosition ?? digits.count) + exponent
        var result: Int128 = 0
        for (index, digit) in digits.enumerated() {
            let power = integerDigits - 1 - index + scale  // exponent of 10 after scaling
            if power < 0 {
                if digit != 0 { return .failure(.tooManyFractionalDigits) }
                continue
            }
            if power >= 38 {
                if digit != 0 { return .failure(.tooLarge) }
                continue
            }
            let (product, overflow) = Int128(digit).multipliedReportingOverflow(by: Self.powersOfTen[power])
            let (sum, overflow2) = result.addingReportingOverflow(product)
            guard !overflow, !overflow2 else { return .failure(.tooLarge) }
            result = sum
        }
        guard result < Self.powersOfTen[38 - 1] * 10 else { return .failure(.tooLarge) }
        return .success(negative ? -result : result)
    }

    /// 10^0 … 10^37.
    private static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1..<38 { powers.append(powers.last! * 10) }
        return powers
    }()
}
