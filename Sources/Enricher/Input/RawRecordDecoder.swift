import Shared

/// Turns one record of the `raw` stream into the collector payloads it carries (reference §3.1 steps
/// 1–2): detects and undoes gzip batching, decodes each Thrift payload and makes enrich's format
/// checks. Whatever cannot be read becomes a bad row — `collector_payload_format_violation` (payload:
/// base64 of the raw record, as enrich) or `size_violation` for an oversized framed payload.
///
/// Not thread-safe (it reuses one gzip inflater): one decoder per processing task.
final class RawRecordDecoder {
    /// One thing found in a record.
    enum Item {
        /// A readable payload and the API (vendor/version) its path names.
        case payload(CollectorPayload, CollectorPayload.API)
        /// A problem, already as a bad row.
        case bad(BadRow)
    }

    private let unpacker: CollectorRecord.Unpacker
    private let limits: CollectorRecord.Limits
    private let processor: BadRowProcessor

    init(processor: BadRowProcessor, limits: CollectorRecord.Limits = CollectorRecord.Limits()) {
        self.unpacker = CollectorRecord.Unpacker(limits: limits)
        self.limits = limits
        self.processor = processor
    }

    /// The payloads and problems of `record`, in record order.
    func decode(_ record: [UInt8], now: SnowplowTimestamp) -> [Item] {
        let unpacked = unpacker.unpack(record)
        var items: [Item] = []
        items.reserveCapacity(unpacked.items.count)
        for item in unpacked.items {
            switch item {
            case .payload(let range):
                let decoded = unpacked.bytes.withUnsafeBytes { all in
                    CollectorPayload.decode(thrift: UnsafeRawBufferPointer(rebasing: all[range]))
                }
                switch decoded {
                case .success(let payload):
                    switch payload.checkFormat() {
                    case .success(let api): items.append(.payload(payload, api))
                    case .failure(let violations):
                        for violation in violations.violations {
                            items.append(.bad(formatViolation(violation, record: record, now: now)))
                        }
                    }
                case .failure(let error):
                    items.append(.bad(formatViolation(.undecodable(error), record: record, now: now)))
                }
            case .tooLarge(let size):
                items.append(
                    .bad(
                        .sizeViolation(
                            BadRow.SizeViolation(
                                processor: processor, timestamp: now, maximumAllowedSizeBytes: limits.maximumPayloadSize,
                                actualSizeBytes: size,
                                expectation: "a collector payload in a compressed record must not exceed the maximum size",
                                payload: ""))))
            case .violation(let violation):
                items.append(.bad(formatViolation(violation, record: record, now: now)))
            }
        }
        return items
    }

    /// A `collector_payload_format_violation` bad row for `violation` in `record`.
    func formatViolation(_ violation: CollectorPayloadFormatViolation, record: [UInt8], now: SnowplowTimestamp) -> BadRow {
        let message: BadRow.CollectorPayloadFormatViolation.Message =
            switch violation.message {
            case .fallback(let text): .fallback(error: String(text.prefix(512)))
            case .inputData(let field, let value, let expectation): .inputData(payloadField: field, value: value, expectation: expectation)
            }
        return .collectorPayloadFormatViolation(
            BadRow.CollectorPayloadFormatViolation(
                processor: processor, timestamp: now, loader: violation.loader, message: message,
                payload: Self.base64(record)))
    }

    /// Standard base64 of `bytes`.
    static func base64(_ bytes: [UInt8]) -> String {
        let length = Base64.encodedLength(byteCount: bytes.count)
        return String(unsafeUninitializedCapacity: length) { output in
            bytes.withUnsafeBytes { input in Base64.encode(input, into: UnsafeMutableRawBufferPointer(output)) }
        }
    }
}
