/// Cuts bytes read from a log file into complete lines, never returning a partial last line.
///
/// The reader always reads from the start of a line, so a buffer is split into the complete lines it
/// holds (each ends with `\n`) and a remainder: the beginning of a line still being written, read again
/// next time. A line longer than `maxLineBytes` is reported as oversized instead of being buffered
/// without end; the caller skips to its `\n` and records a `size_violation`.
///
/// Pure and stateless; safe from any thread.
enum LineSplitter {
    /// One unit found in a buffer.
    enum Piece: Equatable {
        /// A complete line: its bytes without the `\n` (`range`), and the bytes it occupies with it.
        case line(Range<Int>)
        /// A line longer than the limit starting at `start`; its end (`\n`) is at `end` if it is in
        /// the buffer, else `nil` (the line goes on past the buffer).
        case oversized(start: Int, end: Int?)
    }

    /// Splits `buffer`. Returns the pieces and how many bytes they use (up to and including the last
    /// `\n` found, or past an oversized line's end); the bytes after that are an incomplete line.
    ///
    /// - Parameter endOfData: `true` when nothing more will ever be appended (a finished file read to
    ///   its end): a last line without `\n` is then returned as a line too.
    static func split(
        _ buffer: UnsafeRawBufferPointer, maxLineBytes: Int, endOfData: Bool = false, into pieces: inout [Piece]
    ) -> Int {
        var start = 0
        let count = buffer.count
        guard let base = buffer.baseAddress else { return 0 }
        while start < count {
            let searchEnd = min(count, start + maxLineBytes + 1)  // a line of maxLineBytes + its \n fits
            let found = memchr(base + start, 0x0A, searchEnd - start)
            if let found {
                let newline = UnsafeRawPointer(found) - base
                if newline - start > maxLineBytes {
                    pieces.append(.oversized(start: start, end: newline))
                } else {
                    pieces.append(.line(start..<newline))
                }
                start = newline + 1
                continue
            }
            if searchEnd - start > maxLineBytes {
                // No \n within the limit: the line is too long whatever comes next.
                let rest = memchr(base + searchEnd, 0x0A, count - searchEnd)
                if let rest {
                    let newline = UnsafeRawPointer(rest) - base
                    pieces.append(.oversized(start: start, end: newline))
                    start = newline + 1
                    continue
                }
                pieces.append(.oversized(start: start, end: nil))
                return count
            }
            if endOfData {
                pieces.append(.line(start..<count))
                return count
            }
            break
        }
        return start
    }
}

#if canImport(Glibc)
    import Glibc
#endif
