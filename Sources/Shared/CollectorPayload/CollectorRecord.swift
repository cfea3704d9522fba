/// A record of the `raw` stream (a Kafka message value) and the collector payloads it carries.
///
/// Snowplow's collector writes either one Thrift payload per record (uncompressed, the default) or,
/// with output compression on (collector ≥ 3.6), a compressed batch of many payloads. Enrich tells
/// them apart by the first bytes (`PayloadProvider.scala`):
/// - `28 b5 2f fd` — zstd frame; `1f 8b` — gzip member; anything else — one uncompressed Thrift payload.
/// - A decompressed batch is the two version bytes `0x01 0x01` followed by frames
///   `[int32 big-endian length][Thrift CollectorPayload bytes]` until the data ends.
///
/// This type detects the compression, decompresses gzip (zlib), and packs and unpacks the batch
/// framing. zstd is detected but not decompressed (no zstd library in this build): such a record yields
/// ``CollectorPayloadFormatViolation/unsupportedCompression(_:)``.
public enum CollectorRecord {
    /// How a record's bytes are compressed.
    public enum Compression: Sendable, Hashable {
        /// One uncompressed Thrift payload.
        case none
        /// A gzip-compressed batch.
        case gzip
        /// A zstd-compressed batch.
        case zstd

        /// Recognises the compression from the magic bytes at the start of `record`.
        public init(detecting record: UnsafeRawBufferPointer) {
            if record.count >= 4, record[0] == 0x28, record[1] == 0xB5, record[2] == 0x2F, record[3] == 0xFD {
                self = .zstd
            } else if record.count >= 2, record[0] == 0x1F, record[1] == 0x8B {
                self = .gzip
            } else {
                self = .none
            }
        }

        /// Enrich's name for the decompressor (its class name), used as the bad row's `loader`.
        var loaderName: String {
            switch self {
            case .none: "thrift"
            case .gzip: "Gzip"
            case .zstd: "Zstd"
            }
        }
    }

    /// The two version bytes that start a decompressed batch: compression-spec version 1, payload format 1.
    public static let batchHeader: [UInt8] = [0x01, 0x01]

    /// Limits that protect memory when unpacking. Defaults follow enrich's `decompression` config.
    public struct Limits: Sendable, Hashable {
        /// Largest single payload taken from a compressed batch; larger ones become ``Item/tooLarge(size:)``.
        /// Default: 10 000 000 bytes (enrich `decompression.maxBytesSinglePayload`).
        public var maximumPayloadSize: Int
        /// Largest total output of decompressing one record; decompression stops there and the rest of the
        /// record is reported corrupt (a guard against decompression bombs). Default: 64 MiB.
        public var maximumDecompressedSize: Int

        public init(maximumPayloadSize: Int = 10_000_000, maximumDecompressedSize: Int = 64 << 20) {
            self.maximumPayloadSize = maximumPayloadSize
            self.maximumDecompressedSize = maximumDecompressedSize
        }
    }

    /// One thing found in a record, in order.
    public enum Item: Sendable, Hashable {
        /// The Thrift bytes of one payload: this range of ``Unpacked/bytes``.
        case payload(Range<Int>)
        /// A framed payload larger than ``Limits/maximumPayloadSize`` was skipped (enrich: `size_violation`).
        case tooLarge(size: Int)
        /// The rest of the record could not be read (enrich: `collector_payload_format_violation`).
        /// Always the last item.
        case violation(CollectorPayloadFormatViolation)
    }

    /// The result of ``unpack(_:limits:inflater:)``.
    public struct Unpacked: Sendable {
        /// How the record was compressed.
        public var compression: Compression
        /// The record itself (uncompressed) or its decompressed bytes; ``Item/payload(_:)`` ranges index it.
        public var bytes: [UInt8]
        /// The payloads and problems, in record order.
        public var items: [Item]
    }

    /// Splits a `raw`-stream record into the Thrift payloads it carries.
    ///
    /// Payloads before a damaged spot are kept (as enrich keeps them) and the damage is reported as the
    /// last item. Creates a gzip inflater per call; hot loops should use ``Unpacker``.
    public static func unpack(_ record: [UInt8], limits: Limits = Limits()) -> Unpacked {
        Unpacker(limits: limits).unpack(record)
    }

    /// Builds an (uncompressed) batch: ``batchHeader`` followed by one `[int32 BE length][bytes]`
    /// frame per payload. Compressing it with gzip gives what a Snowplow collector with gzip output
    /// compression writes.
    public static func packBatch<Payloads: Sequence>(_ payloads: Payloads) -> [UInt8] where Payloads.Element == [UInt8] {
        var output = batchHeader
        for payload in payloads { appendFrame(payload, to: &output) }
        return output
    }

    /// Appends one `[int32 BE length][bytes]` frame to a batch under construction.
    ///
    /// - Precondition: `payload` is shorter than 2 GiB.
    public static func appendFrame(_ payload: [UInt8], to batch: inout [UInt8]) {
        precondition(payload.count <= Int(Int32.max), "CollectorRecord: payload too large for a frame")
        let length = UInt32(payload.count)
        batch.append(UInt8(truncatingIfNeeded: length >> 24))
        batch.append(UInt8(truncatingIfNeeded: length >> 16))
        batch.append(UInt8(truncatingIfNeeded: length >> 8))
        batch.append(UInt8(truncatingIfNeeded: length))
        batch.append(contentsOf: payload)
    }

    /// Reads the frames of an already-decompressed batch (header included).
    ///
    /// - Parameter truncatedBy: set when the decompressor stopped early; the end of `batch` is then
    ///   damage rather than a clean end, and is reported as ``CollectorPayloadFormatViolation/corruptCompressedRecord(_:)``.
    public static func unpackBatch(
        _ batch: UnsafeRawBufferPointer, compression: Compression, maximumPayloadSize: Int, truncated: Bool = false
    ) -> [Item] {
        guard batch.count >= 2, batch[0] == 0x01, batch[1] == 0x01 else {
            if truncated && batch.count < 2 { return [.violation(.corruptCompressedRecord(compression))] }
            return [.violation(.unsupportedBatchHeader(compression, batch.first, batch.count > 1 ? batch[1] : nil))]
        }
        var items = [Item]()
        var offset = 2
        while offset < batch.count {
            guard batch.count - offset >= 4 else { break }
            let length = Int(UInt32(bigEndian: batch.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            if length > Int(Int32.max) { return items + [.violation(.corruptCompressedRecord(compression))] }
            if length > maximumPayloadSize {
                items.append(.tooLarge(size: length))
                offset = min(batch.count, offset + length)
                continue
            }
            guard batch.count - offset >= length else {
                return items + [.violation(.corruptCompressedRecord(compression))]
            }
            items.append(.payload(offset..<(offset + length)))
            offset += length
        }
        if offset != batch.count || truncated {
            items.append(.violation(.corruptCompressedRecord(compression)))
        }
        return items
    }

    /// Unpacks records, reusing one gzip inflater. Not thread-safe: one per consuming task or thread.
    public final class Unpacker {
        private let limits: Limits
        private let inflater = GzipInflater()

        /// Creates an unpacker with the given limits.
        public init(limits: Limits = Limits()) {
            self.limits = limits
        }

        /// Splits `record` into its payloads; see ``CollectorRecord/unpack(_:limits:)``.
        public func unpack(_ record: [UInt8]) -> Unpacked {
            let compression = record.withUnsafeBytes { Compression(detecting: $0) }
            switch compression {
            case .none:
                return Unpacked(compression: .none, bytes: record, items: [.payload(0..<record.count)])
            case .zstd:
                return Unpacked(compression: .zstd, bytes: [], items: [.violation(.unsupportedCompression(.zstd))])
            case .gzip:
                let (bytes, failure) = record.withUnsafeBytes {
                    inflater.inflate($0, maximumOutputSize: limits.maximumDecompressedSize)
                }
                let items = bytes.withUnsafeBytes {
                    unpackBatch($0, compression: .gzip, maximumPayloadSize: limits.maximumPayloadSize,
                                truncated: failure != nil)
                }
                return Unpacked(compression: .gzip, bytes: bytes, items: items)
            }
        }
    }
}
