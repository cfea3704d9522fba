import Shared

/// The seam for the visitor-profile component (Redis profiles, server-side sessions, duplicate
/// detection — `Sources/Enricher/Profile/`). The pipeline calls ``process(_:)`` once per batch of
/// good events, after enrichment and before output, in input order.
///
/// Contract for implementations:
/// - one Redis round trip per batch; may attach a derived context to each event (append to
///   `derived_contexts`), flag duplicates, and remove dropped duplicates from `events`;
/// - throw a ``FreshetError`` with ``FreshetError/isRetriable`` `true` when Redis is unreachable or
///   timed out, having changed nothing in `events`. The caller then applies
///   ``VisitorProfileFailurePolicy``;
/// - `Sendable`, called from one task at a time per enricher process but possibly concurrently with
///   other enricher processes (atomic updates are the implementation's job).
protocol VisitorProfileStage: Sendable {
    /// Updates the profiles of `events`' visitors and attaches their profile/session fields. `sources`,
    /// when not empty, has one entry per event: where that copy came from (``VisitorProfileInput/source``),
    /// so a re-delivered record is told from a duplicate.
    /// `order` places the batch's round trip among consecutive batches' (see ``ProfileOrder``); the stage
    /// ends `order.turn` as soon as its round trip is done, the caller in every other case.
    func process(_ events: inout [EnrichedEvent], sources: [String], order: ProfileOrder) async throws -> VisitorProfileBatchResult

    /// `/ready` check of the stage's dependency (Redis answers), if any.
    var readinessCheck: ReadinessCheck? { get }
}

/// What one ``VisitorProfileStage/process(_:)`` call did, for metrics.
struct VisitorProfileBatchResult: Sendable {
    /// Events whose `event_id` was seen before within the window (flagged or dropped).
    var duplicates = 0
    /// Of those, events removed from the batch.
    var dropped = 0
    /// Time spent waiting on Redis for the batch.
    var redisLatency: Duration = .zero

    init(duplicates: Int = 0, dropped: Int = 0, redisLatency: Duration = .zero) {
        self.duplicates = duplicates
        self.dropped = dropped
        self.redisLatency = redisLatency
    }
}

/// What the enricher does while the profile stage cannot reach Redis.
enum VisitorProfileFailurePolicy: String, Sendable, CaseIterable {
    /// Stop consuming and retry the same batch with back-off until Redis answers; nothing is lost and no
    /// event goes out without its profile fields. The default.
    case pause
    /// Emit the batch without profile fields and go on.
    case skip
}
