import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// One log file the shipper follows: its open descriptor, its fingerprint, where the next line starts,
/// and its ``TailedFileState``.
///
/// The descriptor is opened once and kept: a file renamed by rotation (or deleted) is still read to its
/// end through it, so the tail of a rotated file is never missed. Reads always start at the beginning
/// of a line, so a partial last line is simply read again once it is complete.
///
/// Threading: confined to the shipping loop; its blocking reads run on the loop's reader executor, one
/// call at a time, while the loop awaits them (hence `@unchecked Sendable`). The descriptor is closed
/// in `deinit` or by ``close()``.
final class TailedFile: @unchecked Sendable {
    /// A number unique within the process, the key in the ``ShippingLedger``.
    let id: Int
    let identity: FileIdentity
    /// Where the file was last seen.
    var path: String
    var name: String
    var state: TailedFileState = .following
    /// The input the file belongs to.
    let input: LogInput
    private(set) var fingerprint: FileFingerprint
    /// The next byte to read: always the start of a line (or of an oversized line being skipped).
    private(set) var readOffset: Int64
    /// The size at the last read or check.
    private(set) var size: Int64 = 0
    /// Whether the last scan saw the file under a matching name.
    var seenInLastScan = true
    /// The beginning of a line longer than the limit that is being skipped: its offset and first bytes.
    private var oversized: (start: Int64, prefix: [UInt8])?
    private var descriptor: Int32

    /// Opens `path`. Returns `nil` when it vanished in the meantime.
    init?(id: Int, path: String, name: String, input: LogInput, fingerprintBytes: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            Glibc.close(fd)
            return nil
        }
        self.id = id
        self.descriptor = fd
        self.path = path
        self.name = name
        self.input = input
        self.identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        self.size = Int64(info.st_size)
        self.readOffset = 0
        self.fingerprint = FileFingerprint(
            device: identity.device, inode: identity.inode, prefixLength: 0, prefixHash: FileFingerprint.hash([]))
        let prefix = readPrefix(min(Int(info.st_size), fingerprintBytes))
        fingerprint = FileFingerprint(
            device: identity.device, inode: identity.inode, prefixLength: prefix.count,
            prefixHash: FileFingerprint.hash(prefix))
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    /// The hash of the first `count` bytes, or `nil` when the file is shorter.
    func hashOfFirst(_ count: Int) -> UInt64? {
        let prefix = readPrefix(count)
        return prefix.count == count ? FileFingerprint.hash(prefix) : nil
    }

    /// Starts reading at `offset` (a line start: resumed from the registry or a copied file's offset).
    func start(at offset: Int64) {
        readOffset = offset
        oversized = nil
    }

    /// What one read found.
    enum ReadResult: Sendable {
        /// Lines from `start` to `end` (exclusive), turned into records.
        case batch(start: Int64, end: Int64, records: [KafkaProducerRecord], lines: Int, badLines: Int, bytes: Int)
        /// Nothing complete to read now; `atEnd` when everything up to the file's end is consumed.
        case nothingNew(atEnd: Bool)
        /// The file is shorter than the read offset, or its first bytes changed: it was truncated.
        case truncated
    }

    /// Reads up to `maxLines` complete lines from the read offset and encodes them. Blocking.
    ///
    /// - Throws: ``FreshetError/Code/shipperReadFailed``.
    func read(
        into scratch: ReadBuffer, maxLines: Int, chunkBytes: Int, maxLineBytes: Int, maxRecordBytes: Int,
        fingerprintBytes: Int,
        encoder: LineEncoder
    ) throws -> ReadResult {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw readFailure("cannot stat") }
        let previousSize = size
        size = Int64(info.st_size)
        if !state.isFinished {
            if size < readOffset { return .truncated }
            if size != previousSize || fingerprint.prefixLength < min(Int(size), fingerprintBytes) {
                if !refreshFingerprint(fingerprintBytes: fingerprintBytes) { return .truncated }
            }
        }
        guard size > readOffset else { return .nothingNew(atEnd: true) }
        let endOfData = state.isFinished
        if oversized != nil {
            return try skipOversized(maxLineBytes: maxLineBytes, encoder: encoder, endOfData: endOfData)
        }

        var length = Int(min(Int64(chunkBytes), size - readOffset))
        while true {
            if scratch.bytes.count < length { scratch.bytes = [UInt8](repeating: 0, count: length) }
            let count = try pread(into: &scratch.bytes, at: readOffset, limit: length)
            let buffer = scratch.bytes
            if count == 0 { return .nothingNew(atEnd: true) }
            let readAll = readOffset + Int64(count) >= size
            var pieces: [LineSplitter.Piece] = []
            pieces.reserveCapacity(min(maxLines, 4096))
            let consumed = buffer.withUnsafeBytes { raw in
                LineSplitter.split(
                    UnsafeRawBufferPointer(rebasing: raw[..<count]), maxLineBytes: maxLineBytes,
                    endOfData: endOfData && readAll, into: &pieces)
            }
            if pieces.isEmpty {
                // A line longer than what was read, but within the limit: read more of it at once.
                if !readAll && length < maxLineBytes + 1 {
                    length = min(maxLineBytes + 1, length * 2)
                    continue
                }
                return .nothingNew(atEnd: consumed == 0 && readAll && endOfData)
            }
            return buffer.withUnsafeBytes { raw in
                encode(
                    pieces: pieces, buffer: UnsafeRawBufferPointer(rebasing: raw[..<count]), maxLines: maxLines,
                    maxLineBytes: maxLineBytes, maxRecordBytes: maxRecordBytes, encoder: encoder)
            }
        }
    }

    private func encode(
        pieces: [LineSplitter.Piece], buffer: UnsafeRawBufferPointer, maxLines: Int, maxLineBytes: Int,
        maxRecordBytes: Int, encoder: LineEncoder
    ) -> ReadResult {
        var records: [KafkaProducerRecord] = []
        records.reserveCapacity(min(maxLines, pieces.count))
        var end = 0
        var badLines = 0
        var bytes = 0
        let start = readOffset
        for piece in pieces {
            if records.count >= maxLines { break }
            switch piece {
            case .line(let range):
                if encoder.encode(UnsafeRawBufferPointer(rebasing: buffer[range]), into: &records) == .badRow {
                    badLines += 1
                }
                end = min(buffer.count, range.upperBound + 1)
                if let last = records.last, last.value.count + (last.key?.count ?? 0) > maxRecordBytes {
                    records[records.count - 1] = encoder.sizeViolation(
                        prefix: buffer[range], actualSize: last.value.count, limit: maxRecordBytes,
                        expectation: "a Kafka record may hold at most \(maxRecordBytes) bytes (message.max.bytes)")
                    badLines += 1
                }
            case .oversized(let lineStart, let lineEnd?):
                records.append(
                    oversizedRecord(
                        prefix: buffer[lineStart..<min(lineEnd, lineStart + maxLineBytes)], size: lineEnd - lineStart,
                        limit: maxLineBytes, encoder: encoder))
                badLines += 1
                end = lineEnd + 1
            case .oversized(let lineStart, nil):
                // The line goes on past what was read: skip it on the next reads.
                oversized = (
                    readOffset + Int64(lineStart),
                    Array(buffer[lineStart..<min(buffer.count, lineStart + maxLineBytes / 10 + 1)])
                )
                readOffset += Int64(buffer.count)
                if records.isEmpty { return .nothingNew(atEnd: false) }
                return .batch(
                    start: start, end: start + Int64(lineStart), records: records, lines: records.count,
                    badLines: badLines, bytes: byteCount(records))
            }
        }
        bytes = byteCount(records)
        readOffset = start + Int64(end)
        return .batch(
            start: start, end: readOffset, records: records, lines: records.count, badLines: badLines, bytes: bytes)
    }

    /// Continues past a line longer than the limit, up to its `\n`, then reports it as one bad row.
    private func skipOversized(maxLineBytes: Int, encoder: LineEncoder, endOfData: Bool) throws -> ReadResult {
        guard let (start, prefix) = oversized else { return .nothingNew(atEnd: false) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while readOffset < size {
            let count = try pread(into: &buffer, at: readOffset)
            if count == 0 { break }
            if let newline = buffer[..<count].firstIndex(of: 0x0A) {
                let end = readOffset + Int64(newline) + 1
                oversized = nil
                readOffset = end
                let record = oversizedRecord(
                    prefix: prefix, size: Int(end - 1 - start), limit: maxLineBytes, encoder: encoder)
                return .batch(
                    start: start, end: end, records: [record], lines: 1, badLines: 1, bytes: record.value.count)
            }
            readOffset += Int64(count)
        }
        if endOfData {
            oversized = nil
            let record = oversizedRecord(
                prefix: prefix, size: Int(readOffset - start), limit: maxLineBytes, encoder: encoder)
            return .batch(
                start: start, end: readOffset, records: [record], lines: 1, badLines: 1, bytes: record.value.count)
        }
        return .nothingNew(atEnd: false)
    }

    private func oversizedRecord(prefix: some Collection<UInt8>, size: Int, limit: Int, encoder: LineEncoder)
        -> KafkaProducerRecord
    {
        encoder.sizeViolation(
            prefix: prefix, actualSize: size, limit: limit,
            expectation: "a log line may hold at most \(limit) bytes (--max-line-bytes)")
    }

    /// Checks that the fingerprinted first bytes are unchanged and extends the fingerprint to more bytes
    /// if the file grew; `false` when they changed (the file was truncated and written again).
    private func refreshFingerprint(fingerprintBytes: Int) -> Bool {
        let want = min(Int(size), fingerprintBytes)
        let prefix = readPrefix(want)
        let known = fingerprint.prefixLength
        guard prefix.count >= known else { return false }
        if prefix.withUnsafeBytes({ FileFingerprint.hash(UnsafeRawBufferPointer(rebasing: $0[..<known])) })
            != fingerprint.prefixHash
        {
            return false
        }
        if prefix.count > known {
            fingerprint = FileFingerprint(
                device: identity.device, inode: identity.inode, prefixLength: prefix.count,
                prefixHash: FileFingerprint.hash(prefix))
        }
        return true
    }

    /// Starts again from the beginning after a truncation; returns the fingerprint of the old content.
    func restartAfterTruncation(fingerprintBytes: Int) -> FileFingerprint {
        let old = fingerprint
        var info = stat()
        if fstat(descriptor, &info) == 0 { size = Int64(info.st_size) }
        let prefix = readPrefix(min(Int(size), fingerprintBytes))
        fingerprint = FileFingerprint(
            device: identity.device, inode: identity.inode, prefixLength: prefix.count,
            prefixHash: FileFingerprint.hash(prefix))
        readOffset = 0
        oversized = nil
        return old
    }

    /// The current size (`fstat`), or the last known one.
    func currentSize() -> Int64 {
        var info = stat()
        if descriptor >= 0, fstat(descriptor, &info) == 0 { size = Int64(info.st_size) }
        return size
    }

    private func readPrefix(_ count: Int) -> [UInt8] {
        guard count > 0, descriptor >= 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        let got = (try? pread(into: &buffer, at: 0)) ?? 0
        return Array(buffer[..<got])
    }

    private func pread(into buffer: inout [UInt8], at offset: Int64, limit: Int? = nil) throws -> Int {
        var total = 0
        let wanted = min(limit ?? buffer.count, buffer.count)
        while total < wanted {
            let result = buffer.withUnsafeMutableBytes { raw in
                Glibc.pread(descriptor, raw.baseAddress! + total, wanted - total, off_t(offset) + off_t(total))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw readFailure("cannot read")
            }
            if result == 0 { break }
            total += result
        }
        return total
    }

    private func byteCount(_ records: [KafkaProducerRecord]) -> Int {
        records.reduce(0) { $0 + $1.value.count + ($1.key?.count ?? 0) }
    }

    private func readFailure(_ what: String) -> FreshetError {
        FreshetError(.shipperReadFailed, "\(what) \(path): \(String(cString: strerror(errno)))", retriable: true)
    }
}

/// The bytes one read lands in, reused from read to read so that reading a large file does not
/// allocate (and fragment) a megabyte per batch.
///
/// Threading: owned by the shipping loop and used only inside its reader executor, one read at a time
/// (hence `@unchecked Sendable`).
final class ReadBuffer: @unchecked Sendable {
    var bytes: [UInt8] = []
}
