import CZlib

/// Decompresses gzip data with zlib (the only place in Freshet that touches the zlib C API).
///
/// Owns one zlib `z_stream`, set up once and reset for each call, freed in `deinit`. Not thread-safe
/// and deliberately not `Sendable`: each consumer owns its own inflater.
final class GzipInflater {
    /// Why decompression stopped early. The bytes produced before the problem are still returned.
    enum Failure: Error, Hashable {
        /// The compressed data is invalid, or ends before the gzip trailer.
        case corrupt(String)
        /// The output would exceed the limit given to ``inflate(_:maximumOutputSize:)``.
        case outputTooLarge(limit: Int)
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private let initialized: Bool

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 = maximum window, +16 = expect a gzip header and trailer (not zlib or raw deflate).
        initialized = freshet_inflate_init2(stream, 15 + 16) == Z_OK
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Decompresses `input` — one gzip member or several concatenated ones, as Java's
    /// `GZIPInputStream` reads them; bytes after the last member that do not start another member are
    /// ignored, like Java does. Returns the output and, if it stopped early, why.
    func inflate(_ input: UnsafeRawBufferPointer, maximumOutputSize: Int) -> (output: [UInt8], failure: Failure?) {
        guard initialized else { return ([], .corrupt("zlib could not be initialised")) }
        guard inflateReset(stream) == Z_OK, let base = input.baseAddress else {
            return ([], .corrupt("empty input"))
        }
        var output = [UInt8](repeating: 0, count: min(max(input.count * 4, 4096), maximumOutputSize + 1))
        var produced = 0
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        while true {
            if produced == output.count {
                if produced > maximumOutputSize { return (Array(output[..<maximumOutputSize]), .outputTooLarge(limit: maximumOutputSize)) }
                output.append(contentsOf: repeatElement(0, count: min(output.count, maximumOutputSize + 1 - output.count)))
            }
            let space = output.count - produced
            let status: Int32 = output.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress! + produced
                stream.pointee.avail_out = uInt(space)
                return CZlib.inflate(stream, Z_NO_FLUSH)
            }
            produced += space - Int(stream.pointee.avail_out)
            if produced > maximumOutputSize {
                return (Array(output[..<maximumOutputSize]), .outputTooLarge(limit: maximumOutputSize))
            }
            switch status {
            case Z_STREAM_END:
                let left = Int(stream.pointee.avail_in)
                let next = stream.pointee.next_in
                if left >= 2, let next, next[0] == 0x1F, next[1] == 0x8B {
                    inflateReset(stream)  // another member follows
                    stream.pointee.next_in = next
                    stream.pointee.avail_in = uInt(left)
                    continue
                }
                output.removeSubrange(produced...)
                return (output, nil)
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.pointee.avail_out == 0:
                continue  // needs more room: grown above
            case Z_BUF_ERROR:
                output.removeSubrange(produced...)
                return (output, .corrupt("unexpected end of gzip input"))
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                output.removeSubrange(produced...)
                return (output, .corrupt(message))
            }
        }
    }
}
