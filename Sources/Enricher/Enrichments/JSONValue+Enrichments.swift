import Shared

/// Conveniences the enrichments use on Shared's ``JSONValue`` (the project's one JSON model).
extension JSONValue {
    /// Parses `text` with ``JSONParser`` (default depth limit), throwing its error.
    init(parsing text: String) throws(JSONParseError) {
        self = try JSONParser().parse(text).get()
    }

    /// The compact serialisation (``serialized()``).
    var compactText: String { serialized() }

    /// `text` as a quoted, escaped JSON string literal.
    static func quoted(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 2)
        writeString(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
