import Shared

/// Turns log lines into Kafka records, following the configured ``LineCodec`` and ``RecordKey``.
///
/// With ``LineCodec/collectorPayload`` (the default):
/// - a base64 line becomes one record on the raw topic whose value is the Thrift collector payload
///   (what Snowplow's collector writes to its stream) and whose key is the payload's network user id;
/// - a line starting with `{` is a bad row the collector wrote itself (a `size_violation` for a payload
///   over its limit) and goes to the bad topic unchanged;
/// - any other line — not base64, not a Thrift collector payload, empty — becomes a
///   `collector_payload_format_violation` bad row (loader `thrift`, payload = the line) on the bad
///   topic. A bad line never stops the file.
///
/// Stateless apart from its configuration; safe from any thread.
struct LineEncoder: Sendable {
    let codec: LineCodec
    let key: RecordKey
    let topic: String
    let badTopic: String
    let processor = BadRowProcessor.freshet(service: "shipper", version: FreshetVersion.current)

    /// What one line became.
    enum Outcome: Equatable {
        case record
        case badRow
    }

    /// Appends the record for `line` (its bytes without `\n`) to `records`.
    @discardableResult
    func encode(_ line: UnsafeRawBufferPointer, into records: inout [KafkaProducerRecord]) -> Outcome {
        switch codec {
        case .lines:
            records.append(KafkaProducerRecord(topic: topic, key: nil, value: Array(line)))
            return .record
        case .collectorPayload:
            return encodeCollectorPayload(line, into: &records)
        }
    }

    private func encodeCollectorPayload(_ line: UnsafeRawBufferPointer, into records: inout [KafkaProducerRecord])
        -> Outcome
    {
        var text = line
        if let last = text.last, last == UInt8(ascii: "\r") { text = UnsafeRawBufferPointer(rebasing: text.dropLast()) }
        if text.first == UInt8(ascii: "{") {
            records.append(KafkaProducerRecord(topic: badTopic, key: nil, value: Array(text)))
            return .badRow
        }
        guard !text.isEmpty else {
            records.append(
                formatViolation(
                    line: text, message: "empty line: a collector log line holds one base64 collector payload"))
            return .badRow
        }
        guard let size = Base64.decodedLength(text) else {
            records.append(
                formatViolation(line: text, message: "not base64: the length \(text.count) is not a multiple of 4"))
            return .badRow
        }
        var failure: String?
        var keyRange: Range<Int>?
        let value = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            switch Base64.decode(text, into: UnsafeMutableRawBufferPointer(buffer)) {
            case .failure(let error):
                failure = "not base64: \(error)"
                initialized = 0
            case .success(let count):
                initialized = count
                switch CollectorPayload.networkUserIdRange(
                    inThrift: UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[..<count]))
                {
                case .failure(let error): failure = "error deserializing raw event: \(error)"
                case .success(let range): keyRange = range
                }
            }
        }
        if let failure {
            records.append(formatViolation(line: text, message: failure))
            return .badRow
        }
        let recordKey: [UInt8]? = key == .networkUserId ? keyRange.map { Array(value[$0]) } : nil
        records.append(KafkaProducerRecord(topic: topic, key: recordKey, value: value))
        return .record
    }

    /// A `collector_payload_format_violation` bad row for a line that is not a collector payload.
    func formatViolation(line: UnsafeRawBufferPointer, message: String) -> KafkaProducerRecord {
        let row = BadRow.collectorPayloadFormatViolation(
            .init(
                processor: processor, timestamp: .now(), loader: "thrift",
                message: .fallback(error: String(message.prefix(512))),
                payload: String(decoding: line, as: UTF8.self)))
        return KafkaProducerRecord(topic: badTopic, key: nil, value: row.jsonBytes())
    }

    /// A `size_violation` bad row for a line longer than the limit (or a record Kafka refused as too
    /// large); `prefix` is the line's beginning.
    func sizeViolation(prefix: some Collection<UInt8>, actualSize: Int, limit: Int, expectation: String)
        -> KafkaProducerRecord
    {
        let row = BadRow.sizeViolation(
            .init(
                processor: processor, timestamp: .now(), maximumAllowedSizeBytes: limit, actualSizeBytes: actualSize,
                expectation: expectation,
                payload: BadRow.SizeViolation.payloadPrefix(of: prefix, maximumAllowedSizeBytes: limit)))
        return KafkaProducerRecord(topic: badTopic, key: nil, value: row.jsonBytes())
    }
}
