import Shared

/// One step of the enrichment pipeline: reads and changes the event in its ``EnrichmentContext`` and
/// records failures there instead of stopping the pipeline (all failures of an event end up in one
/// `enrichment_failures` bad row).
///
/// Implementations are immutable after configuration and called concurrently from the processing
/// tasks: `Sendable`, no per-call shared mutable state (caches inside must be thread-safe).
protocol Enrichment: Sendable {
    /// Where the step runs in Snowplow's fixed order.
    var step: EnrichmentStep { get }
    /// The configuration schema and name reported in failures; `nil` for built-in steps.
    var identity: BadRow.EnrichmentFailures.Enrichment? { get }
    /// Enriches `context.event`.
    func enrich(_ context: inout EnrichmentContext)
}

extension Enrichment {
    var identity: BadRow.EnrichmentFailures.Enrichment? { nil }

    /// Records an input problem of this step.
    func fail(_ context: inout EnrichmentContext, field: String, value: String?, expectation: String) {
        context.failures.append(
            BadRow.EnrichmentFailures.Failure(
                enrichment: identity, message: .inputData(field: field, value: value, expectation: expectation)))
    }

    /// Records a failure outside the step's input.
    func fail(_ context: inout EnrichmentContext, error: String) {
        context.failures.append(BadRow.EnrichmentFailures.Failure(enrichment: identity, message: .simple(error: String(error.prefix(512)))))
    }
}
