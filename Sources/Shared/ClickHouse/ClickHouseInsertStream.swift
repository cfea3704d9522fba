import Foundation

/// The body of an insert written while the request runs: a producer task sends chunks, curl's thread
/// takes them as it sends the request (chunked transfer encoding). Lets a client load one large insert
/// — what ClickHouse handles best — while holding only a few chunks in memory.
///
/// ```swift
/// let stream = ClickHouseInsertStream(capacity: 4)
/// let insert = Task { try await client.insert(into: "db.t", format: "RowBinary", body: .stream(stream)) }
/// try await stream.send(chunk)        // waits while `capacity` chunks are queued (back-pressure)
/// stream.finish()                     // the body ends after the queued chunks
/// try await insert.value
/// ```
///
/// Ending: ``finish()`` ends the body normally. ``abort()`` makes curl fail the request
/// (`CURLE_ABORTED_BY_CALLBACK`) without ending the body, so the server applies nothing of a
/// body it received only in part (ClickHouse parses a body in blocks of `max_insert_block_size` rows:
/// a body larger than one block may have had earlier blocks applied — deduplicate as for any failed
/// insert). When the request ends for any reason before the producer finished (the server answered early
/// with an error, the connection broke), ``ClickHouseClient`` closes the stream: queued chunks are
/// dropped and ``send(_:)`` throws ``FreshetError/Code/clickHouseStreamClosed``; the request's own error
/// comes from the `insert` call.
///
/// Threading: ``send(_:)``, ``finish()`` and ``abort()`` may be called from any task (one producer at a
/// time); the reading side blocks curl's request thread — never a cooperative thread — until a chunk
/// or the end arrives. Each stream serves one request.
public final class ClickHouseInsertStream: @unchecked Sendable {
    /// What the request's thread gets next.
    enum Next {
        case chunk([UInt8])
        case end
        case abort
    }

    private enum State {
        case open, finished, aborted, closed
    }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [[UInt8]] = []
    private var head = 0
    private var state = State.open
    private var waitingProducer: CheckedContinuation<Void, Never>?

    /// Most chunks queued before ``send(_:)`` waits.
    public let capacity: Int

    /// A stream holding at most `capacity` (≥ 1) chunks not yet taken by the request.
    public init(capacity: Int = 4) {
        self.capacity = max(1, capacity)
    }

    /// Queues `chunk` for the request, waiting (without blocking a thread) while `capacity` chunks are
    /// queued. An empty chunk is ignored.
    ///
    /// - Throws: ``FreshetError/Code/clickHouseStreamClosed`` after ``finish()`` or ``abort()``, or when
    ///   the request already ended (its outcome is the `insert` call's).
    public func send(_ chunk: [UInt8]) async throws {
        guard !chunk.isEmpty else { return }
        while try !enqueue(chunk) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                waitForRoom(continuation)
            }
        }
    }

    /// Queues `chunk` when there is room; `false` when the queue is full.
    private func enqueue(_ chunk: [UInt8]) throws -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard state == .open else { throw Self.closedError(state) }
        guard queue.count - head < capacity else { return false }
        queue.append(chunk)
        condition.signal()
        return true
    }

    /// Resumes `continuation` once the request took a chunk or the stream ended (at once if either
    /// already happened).
    private func waitForRoom(_ continuation: CheckedContinuation<Void, Never>) {
        condition.lock()
        if state == .open && queue.count - head >= capacity {
            waitingProducer = continuation
            condition.unlock()
        } else {
            condition.unlock()
            continuation.resume()
        }
    }

    /// Ends the body after the chunks already queued. Idempotent; no effect after ``abort()``.
    public func finish() {
        end(.finished)
    }

    /// Fails the request without ending its body: nothing more is sent and curl reports an abort.
    /// Idempotent; no effect once the request ended.
    public func abort() {
        end(.aborted)
    }

    /// Called when the request ended (whatever its outcome): drops queued chunks and makes further
    /// sends throw.
    func requestEnded() {
        end(.closed)
    }

    /// The next chunk for the request, blocking the calling (curl) thread until there is one, the
    /// body ended or the stream was aborted.
    func next() -> Next {
        condition.lock()
        while queue.count == head && state == .open {
            condition.wait()
        }
        if state == .aborted || state == .closed {
            condition.unlock()
            return .abort
        }
        guard queue.count > head else {
            condition.unlock()
            return .end
        }
        let chunk = queue[head]
        queue[head] = []
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
        let producer = waitingProducer
        waitingProducer = nil
        condition.unlock()
        producer?.resume()
        return .chunk(chunk)
    }

    private func end(_ ending: State) {
        condition.lock()
        switch (state, ending) {
        case (.open, _), (.finished, .aborted), (.finished, .closed), (.aborted, .closed):
            state = ending
        default:
            break
        }
        if state == .closed || state == .aborted {
            queue.removeAll()
            head = 0
        }
        let producer = waitingProducer
        waitingProducer = nil
        condition.broadcast()
        condition.unlock()
        producer?.resume()
    }

    private static func closedError(_ state: State) -> FreshetError {
        let why =
            switch state {
            case .finished: "the insert body was already finished"
            case .aborted: "the insert was aborted"
            default: "the insert request already ended"
            }
        return FreshetError(.clickHouseStreamClosed, "cannot send more rows: \(why)", retriable: true)
    }
}
