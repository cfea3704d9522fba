import Shared

/// The log line recorded instead of a payload larger than `--max-payload-bytes` (reference §2.7): a
/// `size_violation` bad row as one JSON object. Base64 lines never start with `{`, so the shipper tells
/// the two kinds of line apart by their first byte and sends bad rows to the `bad` topic.
enum CollectorSizeViolation {
    static func line(payload: CollectorPayload, actualSizeBytes: Int, maximumAllowedSizeBytes: Int) -> [UInt8] {
        let raw = Array((payload.body ?? payload.querystring ?? "").utf8)
        let violation = BadRow.SizeViolation(
            processor: .freshet(service: "collector", version: FreshetVersion.current),
            timestamp: SnowplowTimestamp(millisecondsSinceEpoch: payload.timestamp) ?? .now(),
            maximumAllowedSizeBytes: maximumAllowedSizeBytes,
            actualSizeBytes: actualSizeBytes,
            expectation: "oversized collector payload: the request is larger than the collector's maximum payload size",
            payload: BadRow.SizeViolation.payloadPrefix(of: raw, maximumAllowedSizeBytes: maximumAllowedSizeBytes))
        var line = BadRow.sizeViolation(violation).jsonBytes()
        line.append(UInt8(ascii: "\n"))
        return line
    }
}
