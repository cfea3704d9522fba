import Dispatch

/// Runs blocking C calls (a librdkafka flush or poll, a hiredis round trip, `curl_easy_perform`) off
/// Swift's cooperative thread pool, on a serial queue of their own, and bridges the result back with a
/// continuation.
///
/// Threading: calls submitted to one executor run one at a time, in submission order, on a thread that
/// is not part of the cooperative pool. Give each non-thread-safe C handle its own executor so the
/// handle is only ever touched from that queue.
///
/// Lifetime: the executor holds no resources beyond its queue; work already submitted still runs after
/// the last reference is dropped.
public struct BlockingExecutor: Sendable {
    private let queue: DispatchQueue

    /// - Parameter label: shown in thread dumps, e.g. `freshet.redis.127.0.0.1:6379`.
    public init(label: String) {
        self.queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `body` on the executor's queue and returns its result to the awaiting task.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Runs `body` on the executor's queue like ``run(_:)``, and calls `enqueued` as soon as `body` is
    /// queued — before it runs and before this call suspends. The queue is serial: whatever is queued
    /// after `enqueued` returned runs after `body`, straight after it on the executor's thread (callers
    /// use this to hand work over in a fixed order without waiting for each other's results).
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T, enqueued: () -> Void) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
            enqueued()
        }
    }

    /// Runs `body` on the executor's queue and blocks the calling (non-cooperative) thread until it ends.
    /// For use from other dedicated threads and `deinit`s only; never from async code.
    public func runAndWait<T>(_ body: () throws -> T) rethrows -> T {
        try queue.sync(execute: body)
    }
}
