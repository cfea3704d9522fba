import Logging
import Shared

/// Applies a ``VisitorProfileStage`` to a batch with the configured ``VisitorProfileFailurePolicy``:
/// `pause` retries with capped exponential back-off (100 ms doubling to 5 s) until the stage succeeds
/// or the task is cancelled; `skip` passes the batch on unchanged. Non-retriable errors are rethrown.
///
/// `Sendable`; used by one processing task.
struct VisitorProfileGate: Sendable {
    let stage: (any VisitorProfileStage)?
    let policy: VisitorProfileFailurePolicy
    let metrics: EnricherMetrics
    let logger: Logger

    /// Runs the stage on `events` (no-op without a stage); `sources` as in
    /// ``VisitorProfileStage/process(_:sources:order:)``. `order.turn` has ended when this returns or
    /// throws (by the stage as soon as Redis answered, else here after `order.previous`).
    func apply(to events: inout [EnrichedEvent], sources: [String] = [], order: ProfileOrder = .unordered) async throws {
        do {
            try await applyStage(to: &events, sources: sources, order: order)
        } catch {
            await order.pass()
            throw error
        }
        await order.pass()
    }

    private func applyStage(to events: inout [EnrichedEvent], sources: [String], order: ProfileOrder) async throws {
        guard let stage, !events.isEmpty else { return }
        var delay = Duration.milliseconds(100)
        while true {
            do {
                let result = try await stage.process(&events, sources: sources, order: order)
                metrics.recordProfile(result)
                return
            } catch let error as FreshetError where error.isRetriable {
                metrics.profileUnavailable.increment()
                switch policy {
                case .skip:
                    logger.warning(
                        "visitor profiles unavailable; events go on without profile fields",
                        metadata: ["component": "profile", "error.code": "\(error.code)", "error": "\(error.message)"])
                    return
                case .pause:
                    logger.warning(
                        "visitor profiles unavailable; consumption paused until Redis answers",
                        metadata: ["component": "profile", "error.code": "\(error.code)", "retry_in": "\(delay)"])
                    try await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(5))
                }
            }
        }
    }
}
