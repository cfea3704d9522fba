extension BadRow {
    /// `size_violation` 1-0-0: something was larger than the sink (or the decompressor) allows.
    /// The payload is the beginning of the offending data as text (see ``payloadPrefix(of:maximumAllowedSizeBytes:)``).
    public struct SizeViolation: Sendable, Hashable {
        public var processor: BadRowProcessor
        /// When the violation was detected.
        public var timestamp: SnowplowTimestamp
        /// The limit, in bytes (schema range 0…1 GiB).
        public var maximumAllowedSizeBytes: Int
        /// The actual size, in bytes (schema range 0…1 GiB).
        public var actualSizeBytes: Int
        /// What was expected, e.g. `"bad row exceeded the maximum size"` (at most 256 characters).
        public var expectation: String
        /// The truncated offending data.
        public var payload: String

        public init(
            processor: BadRowProcessor, timestamp: SnowplowTimestamp, maximumAllowedSizeBytes: Int, actualSizeBytes: Int,
            expectation: String, payload: String
        ) {
            self.processor = processor
            self.timestamp = timestamp
            self.maximumAllowedSizeBytes = maximumAllowedSizeBytes
            self.actualSizeBytes = actualSizeBytes
            self.expectation = expectation
            self.payload = payload
        }

        /// The first tenth of the limit of `data`, as Snowplow truncates size-violation payloads
        /// (at most `maximumAllowedSizeBytes / 10` bytes, cut back to a whole UTF-8 character).
        public static func payloadPrefix(of data: some Collection<UInt8>, maximumAllowedSizeBytes: Int) -> String {
            var prefix = Array(data.prefix(max(0, maximumAllowedSizeBytes / 10)))
            // Drop a UTF-8 sequence cut in half by the limit.
            var start = prefix.count - 1
            while start > 0, start > prefix.count - 4, prefix[start] & 0xC0 == 0x80 { start -= 1 }
            if start >= 0, prefix[start] >= 0xC0 {
                let length = prefix[start] >= 0xF0 ? 4 : prefix[start] >= 0xE0 ? 3 : 2
                if prefix.count - start < length { prefix.removeSubrange(start...) }
            }
            return String(decoding: prefix, as: UTF8.self)
        }

        func writeFailureAndPayload(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.key("timestamp")
            writer.string(timestamp.instantString)
            writer.key("maximumAllowedSizeBytes")
            writer.int(maximumAllowedSizeBytes)
            writer.key("actualSizeBytes")
            writer.int(actualSizeBytes)
            writer.key("expectation")
            writer.string(expectation)
            writer.endObject()
            writer.key("payload")
            writer.string(payload)
        }
    }
}
