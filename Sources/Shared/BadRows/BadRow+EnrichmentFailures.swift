extension BadRow {
    /// `enrichment_failures` 2-0-1: one or more enrichments failed for an event. The payload is the
    /// partially enriched event and the raw event.
    public struct EnrichmentFailures: Sendable, Hashable {
        public var processor: BadRowProcessor
        public var timestamp: SnowplowTimestamp
        /// At least one failure.
        public var messages: [Failure]
        public var payload: BadRowEnrichmentPayload

        /// One enrichment's failure (`FailureDetails.EnrichmentFailure`).
        public struct Failure: Sendable, Hashable {
            /// Which enrichment failed; `nil` when it was not an enrichment (e.g. collector version check).
            public var enrichment: Enrichment?
            public var message: Message

            public init(enrichment: Enrichment?, message: Message) {
                self.enrichment = enrichment
                self.message = message
            }
        }

        /// Identifies an enrichment: its configuration schema and instance name.
        public struct Enrichment: Sendable, Hashable {
            /// The enrichment configuration's Iglu URI, e.g.
            /// `iglu:com.snowplowanalytics.snowplow/anon_ip/jsonschema/1-0-1`.
            public var schemaKey: String
            /// The enrichment's name (at most 256 characters), e.g. `anon_ip`.
            public var identifier: String

            public init(schemaKey: String, identifier: String) {
                self.schemaKey = schemaKey
                self.identifier = identifier
            }
        }

        /// What went wrong (`FailureDetails.EnrichmentFailureMessage`).
        public enum Message: Sendable, Hashable {
            /// An error outside the enrichment's input, e.g. a connection failure (`{"error"}`, at
            /// most 512 characters).
            case simple(error: String)
            /// The enrichment's input did not meet its expectation.
            case inputData(field: String, value: String?, expectation: String)
            /// A schema could not be resolved, or an entity did not validate.
            case igluError(schemaKey: String, error: IgluClientError)
        }

        public init(processor: BadRowProcessor, timestamp: SnowplowTimestamp, messages: [Failure], payload: BadRowEnrichmentPayload) {
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
            for failure in messages {
                writer.beginObject()
                writer.key("enrichment")
                if let enrichment = failure.enrichment {
                    writer.beginObject()
                    writer.key("schemaKey")
                    writer.string(enrichment.schemaKey)
                    writer.key("identifier")
                    writer.string(enrichment.identifier)
                    writer.endObject()
                } else {
                    writer.null()
                }
                writer.key("message")
                switch failure.message {
                case .simple(let error):
                    writer.beginObject()
                    writer.key("error")
                    writer.string(error)
                    writer.endObject()
                case .inputData(let field, let value, let expectation):
                    BadRowMessageJSON.inputData(field: field, value: value, expectation: expectation, to: &writer)
                case .igluError(let schemaKey, let error):
                    BadRowMessageJSON.igluError(schemaKey: schemaKey, error: error, to: &writer)
                }
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
            writer.key("payload")
            payload.write(to: &writer)
        }
    }
}
