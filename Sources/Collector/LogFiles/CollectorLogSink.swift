import Dispatch
import NIOCore
import NIOPosix
import Shared

/// Group commit of collector-payload lines for one event loop: the lines of every request handled in
/// one turn of the loop are appended with a single `write(2)`, then each request is told its line is
/// written (and, with ``FsyncPolicy/everyBatch``, synced) so it can answer its tracker.
///
/// Back-pressure: pending lines never outlive the loop turn that produced them, so memory is bounded by
/// what one turn reads; if the disk cannot take them, every waiting request fails and answers 503.
///
/// Threading: confined to `eventLoop`; `append` must be called on it.
final class CollectorLogSink {
    let eventLoop: any EventLoop
    private let writer: RotatingLogWriter
    private let fsync: FsyncPolicy
    private let threadPool: NIOThreadPool
    private let metrics: CollectorMetrics
    private var pending: [UInt8] = []
    private var waiters: [any CollectorLogWaiter] = []
    private var flushScheduled = false
    private var timers: [RepeatedTask] = []

    init(eventLoop: any EventLoop, writer: RotatingLogWriter, fsync: FsyncPolicy, threadPool: NIOThreadPool, metrics: CollectorMetrics) {
        self.eventLoop = eventLoop
        self.writer = writer
        self.fsync = fsync
        self.threadPool = threadPool
        self.metrics = metrics
        pending.reserveCapacity(64 * 1024)
    }

    /// Starts the age-rotation timer and, with ``FsyncPolicy/interval(_:)``, the sync timer.
    func start(rotationCheck: TimeAmount = .seconds(1)) {
        eventLoop.preconditionInEventLoop()
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        timers.append(eventLoop.scheduleRepeatedTask(initialDelay: rotationCheck, delay: rotationCheck) { _ in
            loopBound.value.rotateIfAged()
        })
        if case .interval(let duration) = fsync {
            let amount = TimeAmount.nanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
            timers.append(eventLoop.scheduleRepeatedTask(initialDelay: amount, delay: amount) { _ in
                loopBound.value.syncInBackground()
            })
        }
    }

    /// Queues the log line of `payload`; `waiter` is told once it reached the operating system (and
    /// the disk, under ``FsyncPolicy/everyBatch``), or that it could not be written.
    ///
    /// A payload whose Thrift encoding exceeds `maxPayloadBytes` is recorded as a `size_violation` bad
    /// row line instead (reference §2.7): the tracker still gets its 2xx, and the bad row reaches the
    /// `bad` topic through the shipper.
    func append(payload: CollectorPayload, maxPayloadBytes: Int, waiter: any CollectorLogWaiter) {
        let size = payload.thriftEncodedSize
        if size > maxPayloadBytes {
            metrics.sizeViolations.increment()
            pending.append(contentsOf: CollectorSizeViolation.line(payload: payload, actualSizeBytes: size, maximumAllowedSizeBytes: maxPayloadBytes))
        } else {
            CollectorPayloadLogLine.append(payload, to: &pending)
        }
        waiters.append(waiter)
        if !flushScheduled {
            flushScheduled = true
            let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
            // Runs after the I/O of this loop turn, so every request read in the turn shares the write.
            eventLoop.execute { loopBound.value.flush() }
        }
    }

    /// Writes everything pending now (also used on shutdown).
    func flush() {
        flushScheduled = false
        guard !waiters.isEmpty else { return }
        let batch = waiters
        waiters.removeAll(keepingCapacity: true)
        let started = DispatchTime.now()
        do {
            let rotationsBefore = writer.rotations
            let file = try pending.withUnsafeBytes { try writer.append($0) }
            if writer.rotations != rotationsBefore { metrics.rotations.increment() }
            metrics.bytesWritten.increment(by: pending.count)
            pending.removeAll(keepingCapacity: true)
            if fsync == .everyBatch {
                let latency = metrics.writeLatency
                let loopBound = NIOLoopBound(batch, eventLoop: eventLoop)
                threadPool.runIfActive(eventLoop: eventLoop) { try file.sync() }.whenComplete { result in
                    latency.recordInterval(since: started)
                    for waiter in loopBound.value { waiter.logWriteCompleted(result) }
                }
                return
            }
            metrics.writeLatency.recordInterval(since: started)
            for waiter in batch { waiter.logWriteCompleted(.success(())) }
        } catch {
            pending.removeAll(keepingCapacity: true)
            metrics.writeErrors.increment()
            for waiter in batch { waiter.logWriteCompleted(.failure(error)) }
        }
    }

    /// Flushes, syncs and stops the timers: the end of a graceful shutdown.
    func close() {
        flush()
        for timer in timers { timer.cancel() }
        timers.removeAll()
        try? writer.current?.sync()
    }

    private func rotateIfAged() {
        let before = writer.rotations
        do { try writer.rotateIfAged() } catch { metrics.writeErrors.increment() }
        if writer.rotations != before { metrics.rotations.increment() }
    }

    private func syncInBackground() {
        guard let file = writer.current else { return }
        let errors = metrics.writeErrors
        threadPool.submit { _ in
            do { try file.sync() } catch { errors.increment() }
        }
    }
}

/// Told by a ``CollectorLogSink``, on the sink's event loop, whether its payload's line was written.
protocol CollectorLogWaiter: AnyObject {
    func logWriteCompleted(_ result: Result<Void, any Error>)
}
