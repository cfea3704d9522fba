extension BadRow {
    /// `adapter_failures` 1-0-0: no adapter exists for the payload's vendor/version, or a webhook
    /// adapter could not turn it into events. The payload is the whole collector payload.
    public struct AdapterFailures: Sendable, Hashable {
        public var processor: BadRowProcessor
        public var timestamp: SnowplowTimestamp
        /// The adapter vendor, e.g. `com.mailchimp` (at most 64 characters).
        public var vendor: String
        /// The adapter version, e.g. `v1` (at most 16 characters).
        public var version: String
        /// At least one message.
        public var messages: [Message]
        public var payload: BadRowCollectorPayload

        /// One adapter failure (`FailureDetails.AdapterFailure`).
        public enum Message: Sendable, Hashable {
            /// A field did not meet the adapter's expectation, e.g. field `vendor/version`,
            /// expectation `vendor/version combination is not supported`.
            case inputData(field: String, value: String?, expectation: String)
            /// A field that should hold JSON does not.
            case notJSON(field: String, value: String?, error: String)
            /// JSON (given as text) that should be self-describing is not.
            case notIglu(json: String, error: IgluParseError)
            /// The webhook's event type has no schema mapping; `expectedMapping` maps event types to
            /// Iglu URIs.
            case schemaMapping(actual: String?, expectedMapping: [String: String], expectation: String)
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
                case .schemaMapping(let actual, let expectedMapping, let expectation):
                    writer.beginObject()
                    writer.key("actual")
                    writer.string(actual)
                    writer.key("expectedMapping")
                    writer.beginObject()
                    for (eventType, schema) in expectedMapping.sorted(by: { $0.key < $1.key }) {
                        writer.key(eventType)
                        writer.string(schema)
                    }
                    writer.endObject()
                    writer.key("expectation")
                    writer.string(expectation)
                    writer.endObject()
                }
            }
            writer.endArray()
            writer.endObject()
            writer.key("payload")
            payload.write(to: &writer)
        }
    }
}
