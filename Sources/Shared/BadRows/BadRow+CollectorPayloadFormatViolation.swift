extension BadRow {
    /// `collector_payload_format_violation` 1-0-0: the raw collector record could not be read.
    /// The payload is the raw record, base64-encoded.
    public struct CollectorPayloadFormatViolation: Sendable, Hashable {
        public var processor: BadRowProcessor
        /// When the violation was detected.
        public var timestamp: SnowplowTimestamp
        /// The loader that failed; the schema allows `clj-tomcat`, `cloudfront`, `ndjson`, `thrift`,
        /// `tsv`. Freshet reads Thrift collector payloads. Default: `thrift`.
        public var loader: String
        public var message: Message
        /// The raw record, base64.
        public var payload: String

        /// What was wrong with the record.
        public enum Message: Sendable, Hashable {
            /// A field of the payload did not meet the loader's expectation
            /// (`{"payloadField","value","expectation"}`).
            case inputData(payloadField: String, value: String?, expectation: String)
            /// Any other loading error (`{"error"}`, at most 512 characters).
            case fallback(error: String)
        }

        public init(processor: BadRowProcessor, timestamp: SnowplowTimestamp, loader: String = "thrift", message: Message, payload: String) {
            self.processor = processor
            self.timestamp = timestamp
            self.loader = loader
            self.message = message
            self.payload = payload
        }

        func writeFailureAndPayload(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.key("timestamp")
            writer.string(timestamp.instantString)
            writer.key("loader")
            writer.string(loader)
            writer.key("message")
            switch message {
            case .inputData(let payloadField, let value, let expectation):
                BadRowMessageJSON.inputData(
                    field: payloadField, value: value, expectation: expectation, fieldKey: "payloadField", to: &writer)
            case .fallback(let error):
                writer.beginObject()
                writer.key("error")
                writer.string(error)
                writer.endObject()
            }
            writer.endObject()
            writer.key("payload")
            writer.string(payload)
        }
    }
}
