#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The collector's log-file record: one collector payload per line.
///
/// **Format.** A line is the standard base64 (RFC 4648 §4, `=` padding, no line breaks) of the payload's
/// Thrift TBinaryProtocol bytes (``CollectorPayload/thriftBytes()``), terminated by a single `\n`
/// (0x0A). Nothing else is on the line: no timestamp, no key, no spaces. When reading, one `\r` before the
/// `\n` is tolerated (a file that went through a CRLF tool); any other byte outside the base64 alphabet
/// rejects the line.
///
/// **Why base64 per line.** Thrift bytes can contain any byte, including `\n`, so they cannot be written
/// raw into a line-oriented file. Base64 makes every record a single line of printable ASCII, which gives:
/// - line safety — a record never contains the separator, so a reader resynchronises at the next `\n`
///   after any damage and one bad record never corrupts its neighbours;
/// - detectable partial writes — a record is complete exactly when its `\n` has been written, so a reader
///   (the shipper tailing a file that is still growing, or recovering after a crash) knows a line without
///   `\n` is unfinished and waits for it or discards it;
/// - the usual tools — `wc -l` counts payloads, `tail -f`, `split -l`, `head -n` work, and
///   `grep`/`sed` can select lines (on the encoded text) without breaking records; a line can be inspected
///   with `base64 -d`.
/// The cost is 4/3 of the Thrift size on disk (before any compression of rotated files).
///
/// Stateless; safe from any thread.
public enum CollectorPayloadLogLine {
    /// Why a line is not a valid collector payload record.
    public enum DecodingError: Error, Sendable, Hashable {
        /// The line is empty (nothing before the `\n`).
        case empty
        /// The line is not standard base64 (after removing the `\n` and an optional `\r`).
        case invalidBase64(Base64.DecodingError)
        /// The base64 decodes, but not to a collector payload.
        case invalidThrift(CollectorPayloadDecodingError)
    }

    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// The number of bytes ``encode(_:)`` produces for `payload` (including the `\n`).
    public static func encodedLength(of payload: CollectorPayload) -> Int {
        Base64.encodedLength(byteCount: payload.thriftEncodedSize) + 1
    }

    /// The record for `payload`: base64 of its Thrift bytes followed by `\n`.
    public static func encode(_ payload: CollectorPayload) -> [UInt8] {
        var line = [UInt8]()
        append(payload, to: &line)
        return line
    }

    /// Appends the record for `payload` (base64 of its Thrift bytes and `\n`) to `output` — e.g. a write
    /// buffer holding several records.
    public static func append(_ payload: CollectorPayload, to output: inout [UInt8]) {
        let thriftSize = payload.thriftEncodedSize
        let lineLength = Base64.encodedLength(byteCount: thriftSize) + 1
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: lineLength))
        output.withUnsafeMutableBytes { all in
            let line = UnsafeMutableRawBufferPointer(rebasing: all[start...])
            withUnsafeTemporaryAllocation(byteCount: thriftSize, alignment: 1) { thrift in
                payload.writeThrift(into: thrift)
                Base64.encode(UnsafeRawBufferPointer(thrift), into: line)
            }
            line[lineLength - 1] = newline
        }
    }

    /// Decodes one record. `line` is the bytes of one line, with or without its terminating `\n`; one `\r`
    /// before the end is tolerated.
    public static func decode(_ line: UnsafeRawBufferPointer) -> Result<CollectorPayload, DecodingError> {
        var end = line.count
        if end > 0 && line[end - 1] == newline { end -= 1 }
        if end > 0 && line[end - 1] == carriageReturn { end -= 1 }
        if end == 0 { return .failure(.empty) }
        let text = UnsafeRawBufferPointer(rebasing: line[..<end])
        guard let thriftSize = Base64.decodedLength(text) else {
            return .failure(.invalidBase64(.invalidLength(text.count)))
        }
        return withUnsafeTemporaryAllocation(byteCount: thriftSize, alignment: 1) { thrift in
            switch Base64.decode(text, into: thrift) {
            case .failure(let error):
                return .failure(.invalidBase64(error))
            case .success(let count):
                return CollectorPayload.decode(thrift: UnsafeRawBufferPointer(rebasing: thrift[..<count]))
                    .mapError { .invalidThrift($0) }
            }
        }
    }

    /// Decodes one record from a line (`[UInt8]`, `ArraySlice<UInt8>`, `Data`, …), with or without its `\n`.
    public static func decode<Bytes: Collection<UInt8>>(_ line: Bytes) -> Result<CollectorPayload, DecodingError> {
        line.withContiguousStorageIfAvailable { decode(UnsafeRawBufferPointer($0)) }
            ?? Array(line).withUnsafeBytes { decode($0) }
    }

    /// Splits `buffer` (e.g. the bytes read from a log file) into complete lines.
    ///
    /// Returns the ranges of the complete lines (each without its `\n`) and the number of bytes they
    /// occupy including their terminators; the bytes after that are a partial line still being written,
    /// to be kept and prefixed to the next read.
    /// (`memchr` finds each `\n`: several times faster than a byte loop, and the offline mode splits
    /// every byte of its input here, on the one task that feeds the workers.)
    public static func completeLines(in buffer: UnsafeRawBufferPointer) -> (lines: [Range<Int>], consumed: Int) {
        var lines = [Range<Int>]()
        guard let base = buffer.baseAddress else { return (lines, 0) }
        var start = 0
        while start < buffer.count, let found = memchr(base + start, Int32(newline), buffer.count - start) {
            let index = base.distance(to: UnsafeRawPointer(found))
            lines.append(start..<index)
            start = index + 1
        }
        return (lines, start)
    }
}
