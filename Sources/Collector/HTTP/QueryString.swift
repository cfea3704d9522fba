import Shared

/// The few querystring parameters the collector reads itself (`nuid`, `u`, the bounce marker). Everything
/// else in the querystring is recorded raw and parsed by the enricher.
enum QueryString {
    /// The decoded value of the first `name` parameter; `nil` when absent or when the querystring does
    /// not parse (the enricher reports that as a bad row).
    static func firstValue(of name: String, in query: String) -> String? {
        // Most requests carry none of these: skip the full parse unless `name=` starts a parameter.
        guard containsParameter(name, in: query), case .success(let parameters) = QueryStringParser.parse(query) else { return nil }
        return parameters.first { $0.name == name }?.value
    }

    /// Whether `name=` occurs at the start of the querystring or right after a `&` (bytes, no Foundation).
    static func containsParameter(_ name: String, in query: String) -> Bool {
        let needle = Array(name.utf8) + [UInt8(ascii: "=")]
        return query.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.count >= needle.count else { return false }
            var index = 0
            while index + needle.count <= bytes.count {
                if index == 0 || bytes[index - 1] == UInt8(ascii: "&") {
                    var matches = true
                    for offset in 0..<needle.count where bytes[index + offset] != needle[offset] {
                        matches = false
                        break
                    }
                    if matches { return true }
                }
                index += 1
            }
            return false
        } ?? query.contains(name + "=")
    }
}
