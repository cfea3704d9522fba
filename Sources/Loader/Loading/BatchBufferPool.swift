import Synchronization

/// The event-row buffer of a ``PendingBatch``, kept by reference so that the buffer — tens of MB,
/// reserved at the batch limit — can be handed back after delivery and filled again, instead of being
/// unmapped and mapped afresh (each new page of a fresh buffer costs a page fault while rows are
/// written: about a tenth of the loader's CPU time before buffers were recycled).
///
/// `@unchecked Sendable`: a buffer is used by one task at a time — the consume loop fills it, the
/// delivering task reads it, then it goes back to the pool; ``BatchBufferPool`` hands it out again only
/// after that delivery finished with it.
final class BatchBuffer: @unchecked Sendable {
    var writer: RowBinaryWriter

    init(capacity: Int) {
        writer = RowBinaryWriter(capacity: capacity)
    }
}

/// At most `limit` emptied ``BatchBuffer``s waiting to be filled again. Thread-safe.
///
/// The loader keeps at most two batches (one filling, one being delivered), so a pool of two keeps
/// memory where it was and makes every batch after the first two reuse pages already mapped.
final class BatchBufferPool: Sendable {
    private let buffers = Mutex<[BatchBuffer]>([])
    private let capacity: Int
    private let limit: Int

    /// Buffers are created reserving `capacity` bytes; at most `limit` wait in the pool.
    init(capacity: Int, limit: Int = 2) {
        self.capacity = capacity
        self.limit = limit
    }

    /// An empty buffer: a recycled one if any waits, else a new one.
    ///
    /// A recycled buffer is emptied here rather than in ``recycle(_:)``: by now the last copies of its
    /// bytes made for the HTTP request (released by the request's thread shortly after the answer)
    /// are gone, so emptying keeps the very same memory instead of allocating afresh.
    func take() -> BatchBuffer {
        guard let buffer = buffers.withLock({ $0.popLast() }) else { return BatchBuffer(capacity: capacity) }
        buffer.writer.removeAll()
        return buffer
    }

    /// Keeps `buffer` for ``take()``. Call only once the buffer's batch is delivered.
    func recycle(_ buffer: BatchBuffer) {
        buffers.withLock { waiting in
            if waiting.count < limit { waiting.append(buffer) }
        }
    }
}
