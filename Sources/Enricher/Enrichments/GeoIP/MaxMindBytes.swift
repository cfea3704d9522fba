/// The bytes of a MaxMind DB file as the readers see them: either a buffer in memory (a heap copy, or
/// the temporary mapping ``MaxMindDatabase/verify()`` walks) or a ``MaxMindPageCache`` over the
/// database's private copy on disk.
///
/// Threading: a value type over immutable bytes; safe from any thread. Lifetime: borrows the buffer or
/// the cache (unretained, so that copying the decoders that hold one costs no reference counting): the
/// owning ``MaxMindDatabase`` (or `verify()`'s mapping, or the caller's cache) must outlive it.
struct MaxMindBytes: @unchecked Sendable {
    // @unchecked Sendable: `memory` points to bytes nobody writes after they are set up; the cache is
    // itself Sendable.

    /// The bytes when they are in memory (empty when paged).
    let memory: UnsafeBufferPointer<UInt8>
    /// The page cache when the bytes are read from a file (unretained: see the type's lifetime rule).
    private let unretainedPages: Unmanaged<MaxMindPageCache>?
    /// Number of bytes.
    let count: Int

    init(memory: UnsafeBufferPointer<UInt8>) {
        self.memory = memory
        self.unretainedPages = nil
        self.count = memory.count
    }

    /// Borrows `pages`, which must outlive these bytes.
    init(pages: MaxMindPageCache) {
        self.memory = UnsafeBufferPointer(start: nil, count: 0)
        self.unretainedPages = Unmanaged.passUnretained(pages)
        self.count = pages.fileSize
    }

    /// The page cache when the bytes are read from a file, `nil` when they are in memory.
    var pages: MaxMindPageCache? { unretainedPages?.takeUnretainedValue() }

    /// Whether the bytes are read through a page cache.
    var isPaged: Bool { unretainedPages != nil }

    /// The byte at `index` (`0 ..< count`; the callers check their offsets against the section sizes).
    @inline(__always)
    subscript(index: Int) -> UInt8 {
        if let unretainedPages { return unretainedPages._withUnsafeGuaranteedRef { $0.byte(at: index) } }
        return memory[index]
    }

    /// Calls `body` with the `count` bytes from `start` (inside the file): the memory itself, or a copy
    /// out of the page cache.
    @inline(__always)
    func withBytes<Result>(_ start: Int, _ count: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        guard let unretainedPages else { return try body(UnsafeBufferPointer(rebasing: memory[start..<start + count])) }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { scratch in
            if count > 0 {
                unretainedPages._withUnsafeGuaranteedRef { $0.copy(from: start, count: count, to: UnsafeMutableRawPointer(scratch.baseAddress!)) }
            }
            return try body(UnsafeBufferPointer(rebasing: scratch[0..<count]))
        }
    }
}
