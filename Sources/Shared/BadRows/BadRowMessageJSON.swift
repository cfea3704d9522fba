/// JSON shapes of the failure messages shared by several bad-row types (`snowplow-badrows`
/// `FailureDetails`), each an object with its fields in the library's order.
enum BadRowMessageJSON {
    /// `{"<fieldKey>": field, "value": value, "expectation": expectation}` (`InputData`).
    static func inputData(field: String, value: String?, expectation: String, fieldKey: String = "field", to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key(fieldKey)
        writer.string(field)
        writer.key("value")
        writer.string(value)
        writer.key("expectation")
        writer.string(expectation)
        writer.endObject()
    }

    /// `{"field", "value", "error"}` (`NotJson`).
    static func notJSON(field: String, value: String?, error: String, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("field")
        writer.string(field)
        writer.key("value")
        writer.string(value)
        writer.key("error")
        writer.string(error)
        writer.endObject()
    }

    /// `{"json": <the value>, "error": code}` (`NotIglu`). `json` is embedded as parsed JSON when it
    /// is valid JSON text, otherwise as a string.
    static func notIglu(json: String, error: IgluParseError, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("json")
        switch JSONParser.pipelineOutput.parse(json) {
        case .success(let parsed): writer.value(parsed)
        case .failure: writer.string(json)
        }
        writer.key("error")
        writer.string(error.rawValue)
        writer.endObject()
    }

    /// `{"schemaKey", "error": ClientError}` (`IgluError`).
    static func igluError(schemaKey: String, error: IgluClientError, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("schemaKey")
        writer.string(schemaKey)
        writer.key("error")
        error.write(to: &writer)
        writer.endObject()
    }

    /// `{"schemaKey", "schemaCriterion"}` (`CriterionMismatch`).
    static func criterionMismatch(schemaKey: String, schemaCriterion: String, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("schemaKey")
        writer.string(schemaKey)
        writer.key("schemaCriterion")
        writer.string(schemaCriterion)
        writer.endObject()
    }
}
