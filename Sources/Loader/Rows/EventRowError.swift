import Shared

/// Why an enriched TSV line cannot become a row of the `events` table. The line is then sent to the
/// `bad` topic as a `loader_parsing_error` bad row (``LoaderBadRow``) instead of being loaded.
enum EventRowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line is not an enriched event (column count, a column's type, UTF-8).
    case notEnrichedTSV(EnrichedEventTSVError)
    /// A column holds a value the table's type cannot store.
    case unloadableValue(column: String, value: String, reason: String)

    var description: String {
        switch self {
        case .notEnrichedTSV(let error): error.description
        case .unloadableValue(let column, let value, let reason):
            "\(column): \"\(value.count > 200 ? value.prefix(200) + "…" : Substring(value))\" \(reason)"
        }
    }
}
