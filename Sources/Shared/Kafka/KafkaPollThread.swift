import Foundation
import Synchronization

/// A dedicated thread that runs one blocking step (e.g. `rd_kafka_poll` with a 100 ms timeout) over and
/// over until ``stop()``. Keeps blocking librdkafka calls off Swift's cooperative pool.
///
/// Lifetime: the thread holds what its step captures; after ``stop()`` it finishes the current step
/// and exits, releasing those captures on its own thread (so a final `rd_kafka_destroy` happens there
/// too, not on the caller's).
final class KafkaPollThread: Sendable {
    private let stopped = Atomic<Bool>(false)

    /// Starts the thread named `name`, running `step` until ``stop()``.
    init(name: String, step: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            while !self.stopped.load(ordering: .relaxed) {
                step()
            }
        }
        thread.name = name
        thread.start()
    }

    /// Asks the thread to exit after its current step. Does not wait.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }
}
