import Shared

/// An event after phase 1 (mapping and input validation, reference §3.1 step 4): the enriched event
/// with every tracker-supplied column set, plus what later steps need and must not parse again.
///
/// A plain value owned by the processing task.
struct MappedEvent {
    /// The event being enriched.
    var event: EnrichedEvent
    /// The raw event it came from.
    var raw: RawEvent
    /// The event type of `e` (`nil` when absent).
    var eventType: TrackerEventType?
    /// The schema of the self-describing event (`ue_pr`/`ue_px`), when there is one.
    var unstructSchema: SchemaKey?
    /// The client address before any anonymisation (the IAB, IP-lookup and bot steps use it).
    var clientAddress: String?
    /// Phase-1 problems; non-empty means the event becomes a `schema_violations` bad row.
    var violations: [BadRow.SchemaViolations.Message] = []
}
