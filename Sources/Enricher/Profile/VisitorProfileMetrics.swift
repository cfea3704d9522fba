import Metrics
import Shared

/// The metrics of the visitor profile store, next to the shared ``PipelineMetrics`` families.
///
/// - `freshet_processing_seconds{service,stage="visitor_profile"}`: one script round trip (Redis latency).
/// - `freshet_duplicate_events_total{service,action}`: events whose `event_id` was seen again
///   (`action` = `flag` or `drop`).
/// - `freshet_visitor_profile_skipped_total{service}`: events that went on without a visitor context
///   because Redis was unreachable under the `skip` behaviour.
/// - `freshet_visitor_profile_retries_total{service}`: failed attempts retried under `pause`.
/// - `freshet_visitor_profile_paused{service}`: 1 while a batch waits for Redis, else 0.
struct VisitorProfileMetrics: Sendable {
    let roundTrip: Metrics.Timer
    let duplicates: Counter
    let skipped: Counter
    let retries: Counter
    let paused: Gauge

    init(pipeline: PipelineMetrics, duplicateAction: VisitorProfileConfiguration.DuplicateAction) {
        let service = pipeline.service
        roundTrip = pipeline.latency(stage: "visitor_profile")
        duplicates = Counter(
            label: "freshet_duplicate_events_total",
            dimensions: [("service", service), ("action", duplicateAction.rawValue)])
        skipped = Counter(label: "freshet_visitor_profile_skipped_total", dimensions: [("service", service)])
        retries = Counter(label: "freshet_visitor_profile_retries_total", dimensions: [("service", service)])
        paused = Gauge(label: "freshet_visitor_profile_paused", dimensions: [("service", service)])
    }
}
