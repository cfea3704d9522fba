/// An exact decimal number as it appears in the enriched event (`se_value`, `tr_total`, `ti_price`,
/// the currency-converted `*_base` columns): Snowplow keeps these as `BigDecimal` and writes them in
/// plain notation, so Freshet keeps the text itself and never rounds through a binary float.
///
/// The stored ``text`` is always a valid JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`),
/// so it can be written into the TSV, a JSON document or a ClickHouse `Decimal` column unchanged.
/// Equality is textual: `1.50` and `1.5` are different values (the TSV round trip is exact).
/// A plain value: `Sendable`, freely copied.
public struct SnowplowDecimal: Sendable, Hashable, CustomStringConvertible {
    /// The number as written, e.g. `-12.50`.
    public let text: String

    /// Accepts `text` if it is a JSON number, as Snowplow writes decimals; `nil` otherwise
    /// (leading `+`, leading zeros such as `007`, `.5`, `NaN`, empty text, …).
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard text.withUTF8({ JSONNumber.isValidLiteral($0) }) else { return nil }
        self.text = text
    }

    /// Wraps text already checked to be one JSON number literal (`JSONNumber.isValidLiteral`).
    init(validatedText: String) {
        self.text = validatedText
    }

    /// The decimal form of an integer.
    public init(_ value: Int) {
        self.text = String(value)
    }

    /// Parses a number the way enrich's `BigDecimal(str).toPlainString` does for tracker input:
    /// optional sign, digits with an optional fraction (`5.`, `.5` allowed), optional exponent; the
    /// result is in plain notation with the scale preserved (`1.50` → `1.50`, `1e3` → `1000`,
    /// `+0012` → `12`, `1E-3` → `0.001`). Returns `nil` for anything else or an exponent beyond ±1000.
    public init?(normalizing input: some StringProtocol) {
        var sign = ""
        var rest = Substring(input)
        if let first = rest.first, first == "+" || first == "-" {
            if first == "-" { sign = "-" }
            rest = rest.dropFirst()
        }
        var exponent = 0
        if let marker = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var exponentText = rest[rest.index(after: marker)...]
            var exponentSign = 1
            if let first = exponentText.first, first == "+" || first == "-" {
                if first == "-" { exponentSign = -1 }
                exponentText = exponentText.dropFirst()
            }
            guard !exponentText.isEmpty, exponentText.count <= 4, exponentText.allSatisfy(\.isASCIIDigit),
                let magnitude = Int(exponentText), magnitude <= 1000
            else { return nil }
            exponent = exponentSign * magnitude
            rest = rest[..<marker]
        }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerDigits = parts[0]
        let fractionDigits = parts.count > 1 ? parts[1] : ""
        guard !(integerDigits.isEmpty && fractionDigits.isEmpty), integerDigits.allSatisfy(\.isASCIIDigit),
            fractionDigits.allSatisfy(\.isASCIIDigit)
        else { return nil }
        // unscaled digits and scale, as BigDecimal holds them
        var unscaled = String(integerDigits + fractionDigits).drop(while: { $0 == "0" })
        let scale = fractionDigits.count - exponent
        if unscaled.isEmpty { unscaled = "0"; sign = "" }
        var plain: String
        if scale <= 0 {
            plain = unscaled == "0" ? "0" : String(unscaled) + String(repeating: "0", count: -scale)
        } else {
            let padded = String(repeating: "0", count: max(0, scale + 1 - unscaled.count)) + unscaled
            let point = padded.index(padded.endIndex, offsetBy: -scale)
            plain = String(padded[..<point]) + "." + String(padded[point...])
        }
        self.text = sign + plain
    }

    /// The nearest `Double`, for arithmetic and the Analytics SDK's float fields.
    public var doubleValue: Double { Double(text) ?? 0 }

    public var description: String { text }
}

extension Character {
    /// `0`–`9` only (not other Unicode digits).
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
