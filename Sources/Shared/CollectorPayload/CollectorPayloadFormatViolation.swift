/// Why a record of the `raw` stream cannot be processed as a collector payload — the cases enrich
/// reports as a `collector_payload_format_violation` bad row
/// (`iglu:com.snowplowanalytics.snowplow.badrows/collector_payload_format_violation/jsonschema/1-0-0`,
/// `failure { timestamp, loader, message }`, payload = base64 of the raw record).
///
/// A value, returned (never thrown) by the decoding, framing and validation functions.
public enum CollectorPayloadFormatViolation: Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not a Thrift `CollectorPayload`.
    case undecodable(CollectorPayloadDecodingError)
    /// `schema` is not `iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-*`.
    case unexpectedSchema(String)
    /// The payload has no `path`.
    case missingPath
    /// `path` is neither `(/)vendor/version(/)` nor a legacy `/i` / `/ice.png` request.
    case invalidPath(String)
    /// `networkUserId` is not a UUID (as Java's `UUID.fromString` reads one).
    case invalidNetworkUserId(String)
    /// The record is compressed with an algorithm this build cannot decompress (zstd).
    case unsupportedCompression(CollectorRecord.Compression)
    /// A decompressed batch does not start with the version bytes `0x01 0x01` (`nil` = data ended).
    case unsupportedBatchHeader(CollectorRecord.Compression, UInt8?, UInt8?)
    /// The compressed data or the length-prefixed frames inside it are damaged or truncated.
    case corruptCompressedRecord(CollectorRecord.Compression)

    /// The two forms of `CPFormatViolationMessage` in Snowplow's bad rows.
    public enum Message: Sendable, Hashable {
        /// `{"error": ...}`-style free text.
        case fallback(String)
        /// A field with the offending value and what was expected.
        case inputData(field: String, value: String?, expectation: String)
    }

    /// The bad row's `failure.loader`: `thrift` for payload problems, the decompressor (`Gzip`, `Zstd`)
    /// for problems of a compressed record — as enrich writes it.
    public var loader: String {
        switch self {
        case .undecodable, .unexpectedSchema, .missingPath, .invalidPath, .invalidNetworkUserId: "thrift"
        case .unsupportedCompression(let compression), .corruptCompressedRecord(let compression),
            .unsupportedBatchHeader(let compression, _, _):
            compression.loaderName
        }
    }

    /// The bad row's `failure.message`, worded as enrich words it.
    public var message: Message {
        switch self {
        case .undecodable(let error):
            .fallback("error deserializing raw event: \(error)")
        case .unexpectedSchema(let found):
            .fallback("verifying record as iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-* failed: found \(found)")
        case .missingPath:
            .inputData(field: "path", value: nil, expectation: "request does not contain a path")
        case .invalidPath(let path):
            .inputData(field: "path", value: path,
                       expectation: "path does not match (/)vendor/version(/) nor is a legacy /i(ce.png) request")
        case .invalidNetworkUserId(let value):
            .inputData(field: "networkUserId", value: value, expectation: "not valid UUID")
        case .unsupportedCompression(let compression):
            .fallback("compressed records are not supported: \(compression.loaderName) decompression is not available")
        case .unsupportedBatchHeader(_, let first, let second):
            .fallback("Unsupported versions in compressed record header: \(first.map { Int($0) } ?? -1), \(second.map { Int($0) } ?? -1)")
        case .corruptCompressedRecord:
            .fallback("corrupt compressed payload")
        }
    }

    public var description: String {
        switch message {
        case .fallback(let text): "[\(loader)] \(text)"
        case .inputData(let field, let value, let expectation): "[\(loader)] \(field)=\(value ?? "null"): \(expectation)"
        }
    }
}
