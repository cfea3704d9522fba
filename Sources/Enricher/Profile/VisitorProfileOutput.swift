import Shared

/// What the visitor profile says about one event of a batch.
///
/// - `context != nil`: attach ``VisitorContext/selfDescribingJSON`` to the event's derived contexts.
/// - ``shouldDrop``: the event is a duplicate and the configuration says ``VisitorProfileConfiguration/DuplicateAction/drop``:
///   do not emit it (count it as a duplicate).
/// - neither: emit the event without a visitor context (no visitor id, or Redis was skipped).
struct VisitorProfileOutput: Sendable, Equatable {
    /// The derived context, or `nil` (no visitor id, dropped duplicate, profile skipped).
    var context: VisitorContext?
    /// `true` when the `event_id` was already seen within the duplicate window.
    var isDuplicate: Bool
    /// `true` when the event must not be emitted (a duplicate under the `drop` action).
    var shouldDrop: Bool
    /// The context's first and last touch already rendered as JSON (``VisitorContext/renderTouch(_:)``),
    /// when the reply decoder rendered each touch of the batch once for all the events that share it; a
    /// cache of what ``context`` holds, so not part of equality.
    var renderedTouches: VisitorContext.RenderedTouches? = nil

    /// An event the profile has nothing to say about.
    static let none = VisitorProfileOutput(context: nil, isDuplicate: false, shouldDrop: false)

    static func == (lhs: VisitorProfileOutput, rhs: VisitorProfileOutput) -> Bool {
        lhs.context == rhs.context && lhs.isDuplicate == rhs.isDuplicate && lhs.shouldDrop == rhs.shouldDrop
    }
}

/// The outcome of ``VisitorProfileStore/update(_:)`` for a batch: one output per input, in input order.
struct VisitorProfileBatch: Sendable {
    /// Whether Redis was used for the batch.
    enum Status: Sendable {
        /// The batch was applied to Redis (or needed no Redis work).
        case applied
        /// Redis could not be reached and the configuration says ``VisitorProfileConfiguration/UnavailableBehaviour/skip``:
        /// every output is ``VisitorProfileOutput/none``; the error says why.
        case skipped(FreshetError)
    }

    /// One output per input, in input order.
    var outputs: [VisitorProfileOutput]
    var status: Status
    /// Script calls made for the batch (more than 1 after retries while paused).
    var attempts: Int

    /// Events flagged or dropped as duplicates.
    var duplicateCount: Int { outputs.lazy.filter(\.isDuplicate).count }
    /// `true` when the batch went on without Redis.
    var isSkipped: Bool {
        if case .skipped = status { return true }
        return false
    }
}
