import Metrics
import Shared

/// The enricher's metrics: the shared pipeline families plus duplicates, Redis latency and lag.
///
/// - `freshet_records_received_total{source="raw"}`: raw records consumed; `{source="events"}`: events
///   found in them;
/// - `freshet_records_sent_total{sink="enriched"}` / `{sink="bad"}`: acknowledged productions;
/// - `freshet_records_failed_total{reason=<bad-row type>}`: bad rows by type;
/// - `freshet_enricher_duplicates_total`, `freshet_enricher_duplicates_dropped_total`;
/// - `freshet_processing_seconds{stage="redis"}` (per batch), `{stage="enrich"}` (per batch);
/// - `freshet_consumer_lag{topic,partition}` (set by the service every few seconds);
/// - `freshet_enricher_profile_unavailable_total`: batches that met an unreachable Redis.
///
/// Counters are thread-safe; share one instance.
struct EnricherMetrics: Sendable {
    let pipeline = PipelineMetrics(service: "enricher")
    let recordsIn: Counter
    let eventsIn: Counter
    let bytesIn: Counter
    let enriched: Counter
    let badSent: Counter
    let bytesOut: Counter
    let duplicates = Counter(label: "freshet_enricher_duplicates_total")
    let duplicatesDropped = Counter(label: "freshet_enricher_duplicates_dropped_total")
    let profileUnavailable = Counter(label: "freshet_enricher_profile_unavailable_total")
    let redisLatency: Metrics.Timer
    let enrichLatency: Metrics.Timer
    private let badByKind: [BadRow.Kind: Counter]

    init() {
        recordsIn = pipeline.received(from: "raw")
        eventsIn = pipeline.received(from: "events")
        bytesIn = pipeline.bytesReceived(from: "raw")
        enriched = pipeline.sent(to: "enriched")
        badSent = pipeline.sent(to: "bad")
        bytesOut = pipeline.bytesSent(to: "kafka")
        redisLatency = pipeline.latency(stage: "redis")
        enrichLatency = pipeline.latency(stage: "enrich")
        var byKind: [BadRow.Kind: Counter] = [:]
        for kind in BadRow.Kind.allCases { byKind[kind] = pipeline.failed(reason: kind.rawValue) }
        badByKind = byKind
    }

    /// Counts a bad row by its type.
    func recordBad(_ row: BadRow) {
        badByKind[row.kind]?.increment()
    }

    /// Records a profile batch.
    func recordProfile(_ result: VisitorProfileBatchResult) {
        if result.duplicates > 0 { duplicates.increment(by: result.duplicates) }
        if result.dropped > 0 { duplicatesDropped.increment(by: result.dropped) }
        redisLatency.recordNanoseconds(result.redisLatency.nanoseconds)
    }
}
