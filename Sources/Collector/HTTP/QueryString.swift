import Shared

/// The few querystring parameters the collector reads itself (`nuid`, `u`, the bounce marker). Everything
/// else in the querystring is recorded raw and parsed by the enricher.
enum QueryString {
    /// The decoded value of the first `name` parameter; `nil` when absent or when the querystring does
    /// not parse (the enricher reports that as a bad row).
    static func firstValue(of name: String, in query: String) -> String? {
        // Most requests carry none of these: skip the full parse unless the name occurs at all.
        guard query.contains(name), case .success(let parameters) = QueryStringParser.parse(query)
        else { return nil }
        return parameters.first { $0.name == name }?.value
    }
}
