extension BadRow {
    /// `tracker_protocol_violations` 1-0-1: a Snowplow tracker payload (`tp2`, `r/tp2`) breaks the
    /// tracker protocol. The payload is the whole collector payload.
    public struct TrackerProtocolViolations: Sendable, Hashable {
        public var processor: BadRowProcessor
        public var timestamp: SnowplowTimestamp
        /// The adapter vendor, `com.snowplowanalytics.snowplow` or `r`.
        public var vendor: String
        /// The adapter version, `tp1`/`tp2`.
        public var version: String
        /// At least one message.
        public var messages: [Message]
        public var payload: BadRowCollectorPayload

        /// One violation (`FailureDetails.TrackerProtocolViolation`).
        public enum Message: Sendable, Hashable {
            /// A field did not meet the protocol's expectation, e.g. field `body`, expectation
            /// `empty body: not a valid tracker protocol event`.
            case inputData(field: String, value: String?, expectation: String)
            /// A field that should hold JSON does not (e.g. the POST body).
            case notJSON(field: String, value: String?, error: String)
            /// JSON (given as text) that should be self-describing is not.
            case notIglu(json: String, error: IgluParseError)
            /// The payload's schema could not be resolved or the payload did not validate.
            case igluError(schemaKey: String, error: IgluClientError)
            /// The payload's schema is not the one expected (`schemaCriterion`, e.g.
            /// `iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-*`).
            case criterionMismatch(schemaKey: String, schemaCriterion: String)
        }

        public init(
            processor: BadRowProcessor, timestamp: SnowplowTimestamp, vendor: String, version: String, messages: [Message],
            payload: BadRowCollectorPayload
        ) {
            self.processor = processor
            self.timestamp = timestamp
            self.vendor = vendor
            self.version = version
            self.messages = messages
            self.payload = payload
        }

        func writeFailureAndPayload(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.key("timestamp")
            writer.string(timestamp.instantString)
            writer.key("vendor")
            writer.string(vendor)
            writer.key("version")
            writer.string(version)
            writer.key("messages")
            writer.beginArray()
            for message in messages {
                switch message {
                case .inputData(let field, let value, let expectation):
                    BadRowMessageJSON.inputData(field: field, value: value, expectation: expectation, to: &writer)
                case .notJSON(let field, let value, let error):
                    BadRowMessageJSON.notJSON(field: field, value: value, error: error, to: &writer)
                case .notIglu(let json, let error):
                    BadRowMessageJSON.notIglu(json: json, error: error, to: &writer)
                case .igluError(let schemaKey, let error):
                    BadRowMessageJSON.igluError(schemaKey: schemaKey, error: error, to: &writer)
                case .criterionMismatch(let schemaKey, let schemaCriterion):
                    BadRowMessageJSON.criterionMismatch(schemaKey: schemaKey, schemaCriterion: schemaCriterion, to: &writer)
                }
            }
            writer.endArray()
            writer.endObject()
            writer.key("payload")
            payload.write(to: &writer)
        }
    }
}
