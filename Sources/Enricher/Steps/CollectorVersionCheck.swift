/// Step 1: an event without a collector name (`v_collector`, from `cv` or the payload) cannot be
/// traced to its collector; enrich reports it as an enrichment failure.
struct CollectorVersionCheck: Enrichment {
    var step: EnrichmentStep { .collectorVersionCheck }

    func enrich(_ context: inout EnrichmentContext) {
        if context.event.vCollector == nil {
            fail(&context, field: "v_collector", value: nil, expectation: "should be set")
        }
    }
}
