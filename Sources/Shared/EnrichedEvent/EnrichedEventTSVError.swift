/// Why a line could not be read as an enriched event.
///
/// Returned (never thrown) by ``EnrichedEvent/parse(tsvLine:validatingJSON:)``: a malformed line is
/// input data, which the loader turns into a bad row.
public enum EnrichedEventTSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line does not have exactly ``EnrichedEventField/count`` tab-separated columns.
    case wrongColumnCount(expected: Int, actual: Int)
    /// The text of `field` is not a value of the field's ``EnrichedEventField/type``
    /// (or, for a string column, not valid UTF-8; `value` then shows the bytes decoded with
    /// replacement characters).
    case invalidValue(field: EnrichedEventField, value: String)

    public var description: String {
        switch self {
        case .wrongColumnCount(let expected, let actual):
            return "enriched TSV line has \(actual) columns, expected \(expected)"
        case .invalidValue(let field, let value):
            let shown = value.count > 200 ? value.prefix(200) + "…" : Substring(value)
            return "\(field): \"\(shown)\" is not a valid \(Self.expectation(field.type))"
        }
    }

    private static func expectation(_ type: EnrichedEventFieldType) -> String {
        switch type {
        case .string: "UTF-8 string"
        case .integer: "integer"
        case .double: "floating-point number"
        case .decimal: "decimal number"
        case .boolean: "boolean (1 or 0)"
        case .timestamp: "timestamp (yyyy-MM-dd HH:mm:ss.SSS)"
        case .json: "JSON object"
        }
    }
}
