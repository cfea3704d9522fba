extension BadRow {
    /// `schema_violations` 2-0-1: an event's input could not be converted or validated (a parameter
    /// of the wrong type, an invalid `unstruct_event`/`contexts`/derived entity, an atomic field too
    /// long). The payload is the partially enriched event and the raw event.
    public struct SchemaViolations: Sendable, Hashable {
        public var processor: BadRowProcessor
        public var timestamp: SnowplowTimestamp
        /// At least one message.
        public var messages: [Message]
        public var payload: BadRowEnrichmentPayload

        /// One violation (`FailureDetails.SchemaViolation`).
        public enum Message: Sendable, Hashable {
            /// A field that should hold JSON does not.
            case notJSON(field: String, value: String?, error: String)
            /// JSON (given as text) that should be self-describing is not.
            case notIglu(json: String, error: IgluParseError)
            /// A self-describing JSON has a schema other than the one required.
            case criterionMismatch(schemaKey: String, schemaCriterion: String)
            /// A schema could not be resolved, or data did not validate against it. Atomic-field
            /// errors use schema `iglu:com.snowplowanalytics.snowplow/atomic/jsonschema/1-0-0`.
            case igluError(schemaKey: String, error: IgluClientError)
        }

        public init(processor: BadRowProcessor, timestamp: SnowplowTimestamp, messages: [Message], payload: BadRowEnrichmentPayload) {
            self.processor = processor
            self.timestamp = timestamp
            self.messages = messages
            self.payload = payload
        }

        func writeFailureAndPayload(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.key("timestamp")
            writer.string(timestamp.instantString)
            writer.key("messages")
            writer.beginArray()
            for message in messages {
                switch message {
                case .notJSON(let field, let value, let error):
                    BadRowMessageJSON.notJSON(field: field, value: value, error: error, to: &writer)
                case .notIglu(let json, let error):
                    BadRowMessageJSON.notIglu(json: json, error: error, to: &writer)
                case .criterionMismatch(let schemaKey, let schemaCriterion):
                    BadRowMessageJSON.criterionMismatch(schemaKey: schemaKey, schemaCriterion: schemaCriterion, to: &writer)
                case .igluError(let schemaKey, let error):
                    BadRowMessageJSON.igluError(schemaKey: schemaKey, error: error, to: &writer)
                }
            }
            writer.endArray()
            writer.endObject()
            writer.key("payload")
            payload.write(to: &writer)
        }
    }
}
