import CCurl
import Foundation

/// The data of an insert, read by curl piece by piece while it sends the request
/// (`CURLOPT_READFUNCTION`), so a batch of tens of MB is never copied into another buffer.
///
/// Built from bytes or `Data` (sent with `Content-Length`), or from a sequence of chunks produced on
/// demand, e.g. one chunk of TSV per thousand rows (sent with chunked transfer encoding). A chunk
/// sequence is iterated once per request, on the request's thread.
public struct ClickHouseInsertBody: Sendable {
    enum Storage: Sendable {
        case bytes([UInt8])
        case data(Data)
        case chunks(@Sendable () -> AnyIterator<[UInt8]>)
        case stream(ClickHouseInsertStream)
    }

    let storage: Storage

    /// Sends `bytes` as they are.
    public static func bytes(_ bytes: [UInt8]) -> Self { Self(storage: .bytes(bytes)) }
    /// Sends `data` as it is.
    public static func data(_ data: Data) -> Self { Self(storage: .data(data)) }
    /// Sends the chunks of `sequence` one after the other, asking for each only when curl needs it.
    public static func chunks<Chunks: Sequence & Sendable>(_ sequence: Chunks) -> Self where Chunks.Element == [UInt8] {
        Self(storage: .chunks({ AnyIterator(sequence.makeIterator()) }))
    }

    /// Sends `count` chunks, building chunk `i` with `chunk(i)` only when curl needs it, e.g. one
    /// chunk of encoded rows per slice of a batch, so the whole encoded batch never exists at once.
    /// `chunk` runs on the request's thread, in order `0..<count`.
    public static func chunks(count: Int, _ chunk: @escaping @Sendable (Int) -> [UInt8]) -> Self {
        Self(storage: .chunks({ AnyIterator((0..<max(count, 0)).lazy.map(chunk).makeIterator()) }))
    }

    /// Sends what a producer writes to `stream` while the request runs (see ``ClickHouseInsertStream``).
    public static func stream(_ stream: ClickHouseInsertStream) -> Self { Self(storage: .stream(stream)) }

    /// The stream this body reads, if it is one.
    var stream: ClickHouseInsertStream? {
        if case .stream(let stream) = storage { return stream }
        return nil
    }

    /// The length in bytes when known before sending.
    var knownLength: Int? {
        switch storage {
        case .bytes(let bytes): bytes.count
        case .data(let data): data.count
        case .chunks, .stream: nil
        }
    }
}

/// Copies an insert body into curl's upload buffer on request. Used only on the performing thread.
final class CurlRequestBodyReader {
    private let source: ClickHouseInsertBody.Storage
    private var chunks: AnyIterator<[UInt8]>?
    private var current: [UInt8] = []
    private var offset = 0
    private var dataOffset = 0

    init(_ body: ClickHouseInsertBody) {
        self.source = body.storage
        if case .chunks(let makeIterator) = body.storage { chunks = makeIterator() }
    }

    var knownLength: Int? { ClickHouseInsertBody(storage: source).knownLength }

    /// Fills `buffer` with the next bytes; returns how many, 0 at the end of the body, or
    /// `CURL_READFUNC_ABORT` when a stream was aborted.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        switch source {
        case .bytes(let bytes):
            return copy(from: bytes, into: buffer)
        case .data(let data):
            let count = min(buffer.count, data.count - dataOffset)
            guard count > 0 else { return 0 }
            data.withUnsafeBytes { raw in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[(raw.startIndex + dataOffset)..<(raw.startIndex + dataOffset + count)]))
            }
            dataOffset += count
            return count
        case .chunks:
            while offset == current.count {
                guard let next = chunks?.next() else { return 0 }
                current = next
                offset = 0
            }
            return copy(from: current, into: buffer)
        case .stream(let stream):
            while offset == current.count {
                switch stream.next() {
                case .chunk(let chunk):
                    current = chunk
                    offset = 0
                case .end:
                    return 0
                case .abort:
                    return Int(CURL_READFUNC_ABORT)
                }
            }
            return copy(from: current, into: buffer)
        }
    }

    private func copy(from bytes: [UInt8], into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { raw in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)]))
        }
        offset += count
        return count
    }
}
