import CRdKafka
import Synchronization

/// Collects the delivery reports of one batch of records and wakes the task awaiting them.
///
/// Each record gets a slot; the slot's address is the record's librdkafka message opaque, so the
/// delivery report callback finds its slot (and through it the tracker) without a lookup. Slots are
/// written once: by the enqueueing task when librdkafka refuses a record, or by the polling thread
/// when its report arrives.
///
/// Lifetime: the awaiting task holds the tracker until every enqueued record has its report, so the
/// callback never sees a freed slot.
///
/// `@unchecked Sendable`: the slots are written by one thread each (disjoint slots) and read only after
/// ``waitForAll()`` returned, which synchronises with the writers through `state`'s lock.
final class KafkaDeliveryTracker: @unchecked Sendable {
    struct Slot {
        var tracker: Unmanaged<KafkaDeliveryTracker>?
        var error: rd_kafka_resp_err_t
        var partition: Int32
        var offset: Int64
        /// `true` when librdkafka refused the record at enqueue time (no delivery report follows).
        var refused: Bool
    }

    private struct State {
        var pending = 0
        var continuation: CheckedContinuation<Void, Never>?
    }

    let count: Int
    private let slots: UnsafeMutablePointer<Slot>
    private let state = Mutex(State())

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(
            repeating: Slot(tracker: nil, error: RD_KAFKA_RESP_ERR_NO_ERROR, partition: -1, offset: -1, refused: false),
            count: max(count, 1)
        )
        let me = Unmanaged.passUnretained(self)
        for index in 0..<count { slots[index].tracker = me }
    }

    deinit {
        slots.deinitialize(count: max(count, 1))
        slots.deallocate()
    }

    /// The message opaque for record `index`.
    func opaque(for index: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(slots + index)
    }

    /// Call before handing record `index` to librdkafka.
    func willEnqueue() {
        state.withLock { $0.pending += 1 }
    }

    /// Call when librdkafka refused record `index` (no report will come for it).
    func enqueueFailed(_ index: Int, error: rd_kafka_resp_err_t) {
        slots[index].error = error
        slots[index].refused = true
        state.withLock { $0.pending -= 1 }
    }

    /// Suspends until every enqueued record has its report. Not cancellable: records in flight cannot
    /// be called back, and their reports always arrive (at the latest after `message.timeout.ms`, or
    /// when the producer shuts down and purges them).
    func waitForAll() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.pending == 0 { return true }
                state.continuation = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// The outcome of record `index`, valid after ``waitForAll()``.
    func slot(_ index: Int) -> Slot { slots[index] }

    /// Called by the delivery report callback on the polling thread.
    static func deliver(opaque: UnsafeMutableRawPointer, error: rd_kafka_resp_err_t, partition: Int32, offset: Int64) {
        let slot = opaque.assumingMemoryBound(to: Slot.self)
        guard let tracker = slot.pointee.tracker?.takeUnretainedValue() else { return }
        slot.pointee.error = error
        slot.pointee.partition = partition
        slot.pointee.offset = error == RD_KAFKA_RESP_ERR_NO_ERROR ? offset : -1
        let continuation = tracker.state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.pending -= 1
            guard state.pending == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return continuation
        }
        // The awaiting task may release the tracker as soon as it resumes: do not touch it after this.
        continuation?.resume()
    }
}

/// librdkafka's delivery report callback (`dr_msg_cb`), called on the thread that polls the producer.
let rdKafkaDeliveryReportCallback:
    @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        _, message, _ in
        guard let message, let opaque = message.pointee._private else { return }
        KafkaDeliveryTracker.deliver(
            opaque: opaque, error: message.pointee.err, partition: message.pointee.partition,
            offset: message.pointee.offset
        )
    }
