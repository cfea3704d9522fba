import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

@Suite("Collector records: compression detection and batch framing")
struct CollectorPayloadRecordTests {
    static let payloads = [CollectorPayloadSamples.full, CollectorPayloadSamples.minimal, CollectorPayloadSamples.unicode]

    /// Compresses with Python's `gzip` module — an independent gzip writer.
    func gzip(_ bytes: [UInt8], members: Int = 1) throws -> [UInt8] {
        let script = """
            import sys, gzip
            data = sys.stdin.buffer.read()
            n = int(sys.argv[1])
            cut = len(data) // n
            parts = [data[i * cut:(i + 1) * cut if i < n - 1 else len(data)] for i in range(n)]
            sys.stdout.buffer.write(b''.join(gzip.compress(p) for p in parts))
            """
        let output = try ChildProcess.python(script, arguments: [String(members)], input: Data(bytes))
        try #require(output.status == 0, "\(output.stderrText)")
        return [UInt8](output.stdout)
    }

    func payloads(of unpacked: CollectorRecord.Unpacked) throws -> [CollectorPayload] {
        try unpacked.items.map { item in
            guard case .payload(let range) = item else { throw CollectorPayloadDecodingError.truncated(offset: -1) }
            return try CollectorPayload.decode(thrift: unpacked.bytes[range]).get()
        }
    }

    @Test("compression is recognised by its magic bytes")
    func detection() {
        func detect(_ bytes: [UInt8]) -> CollectorRecord.Compression { bytes.withUnsafeBytes { .init(detecting: $0) } }
        #expect(detect([0x28, 0xB5, 0x2F, 0xFD, 0]) == .zstd)
        #expect(detect([0x28, 0xB5, 0x2F]) == .none)
        #expect(detect([0x1F, 0x8B]) == .gzip)
        #expect(detect([0x1F]) == .none)
        #expect(detect(CollectorPayloadSamples.full.thriftBytes()) == .none)
        #expect(detect([]) == .none)
    }

    @Test("an uncompressed record is one payload")
    func uncompressed() throws {
        let record = CollectorPayloadSamples.full.thriftBytes()
        let unpacked = CollectorRecord.unpack(record)
        #expect(unpacked.compression == .none)
        #expect(try payloads(of: unpacked) == [CollectorPayloadSamples.full])
    }

    @Test("a batch packs to 0x01 0x01 + [int32 BE length][bytes] frames and unpacks again")
    func batchFraming() throws {
        let thrift = Self.payloads.map { $0.thriftBytes() }
        let batch = CollectorRecord.packBatch(thrift)
        #expect(Array(batch.prefix(2)) == [1, 1])
        let firstLength = Int(batch[2]) << 24 | Int(batch[3]) << 16 | Int(batch[4]) << 8 | Int(batch[5])
        #expect(firstLength == thrift[0].count)
        #expect(batch.count == 2 + thrift.reduce(0) { $0 + 4 + $1.count })
        let items = batch.withUnsafeBytes {
            CollectorRecord.unpackBatch($0, compression: .gzip, maximumPayloadSize: 10_000_000)
        }
        let decoded = try payloads(of: .init(compression: .gzip, bytes: batch, items: items))
        #expect(decoded == Self.payloads)
        #expect(CollectorRecord.packBatch([[UInt8]]()) == [1, 1])
    }

    @Test("a gzip-compressed batch (compressed by Python, one or several members) unpacks")
    func gzipBatch() throws {
        let batch = CollectorRecord.packBatch(Self.payloads.map { $0.thriftBytes() })
        for members in [1, 3] {
            let unpacked = CollectorRecord.unpack(try gzip(batch, members: members))
            #expect(unpacked.compression == .gzip)
            #expect(unpacked.bytes == batch)
            #expect(try payloads(of: unpacked) == Self.payloads)
        }
    }

    @Test("damaged compressed records keep the payloads before the damage and report it")
    func damagedGzip() throws {
        let batch = CollectorRecord.packBatch(Self.payloads.map { $0.thriftBytes() })
        let compressed = try gzip(batch)
        // Truncated gzip: whatever was decompressed is used, then a corrupt-record violation.
        for cut in stride(from: 2, to: compressed.count, by: 7) {
            let unpacked = CollectorRecord.unpack(Array(compressed.prefix(cut)))
            #expect(unpacked.items.last == .violation(.corruptCompressedRecord(.gzip)) || unpacked.items.last == .violation(.unsupportedBatchHeader(.gzip, nil, nil)))
        }
        // Wrong version header.
        var wrongHeader = batch
        wrongHeader[1] = 2
        #expect(CollectorRecord.unpack(try gzip(wrongHeader)).items == [.violation(.unsupportedBatchHeader(.gzip, 1, 2))])
        // A frame longer than the data left.
        let cutFrame = Array(batch.dropLast(3))
        let items = CollectorRecord.unpack(try gzip(cutFrame)).items
        #expect(items.count == 3)
        #expect(items.last == .violation(.corruptCompressedRecord(.gzip)))
        // A stray 1–3 bytes after the last frame.
        #expect(CollectorRecord.unpack(try gzip(batch + [0, 0])).items.last == .violation(.corruptCompressedRecord(.gzip)))
    }

    @Test("payloads above the size limit are skipped and reported; the rest still come through")
    func oversized() throws {
        let thrift = Self.payloads.map { $0.thriftBytes() }
        let limit = thrift.map(\.count).min()!  // only the smallest fits
        let unpacked = CollectorRecord.Unpacker(limits: .init(maximumPayloadSize: limit))
            .unpack(try gzip(CollectorRecord.packBatch(thrift)))
        #expect(unpacked.items.count == 3)
        #expect(unpacked.items.filter { if case .tooLarge = $0 { true } else { false } }.count == 2)
        let bomb = try gzip([1, 1] + [UInt8](repeating: 0, count: 5_000_000))
        let limited = CollectorRecord.Unpacker(limits: .init(maximumDecompressedSize: 1_000_000)).unpack(bomb)
        #expect(limited.bytes.count == 1_000_000)
        #expect(limited.items.last == .violation(.corruptCompressedRecord(.gzip)))
    }

    @Test("zstd records are detected and reported as unsupported")
    func zstd() {
        let unpacked = CollectorRecord.unpack([0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3])
        #expect(unpacked.items == [.violation(.unsupportedCompression(.zstd))])
        if case .violation(let violation) = unpacked.items[0] {
            #expect(violation.loader == "Zstd")
        }
    }
}
