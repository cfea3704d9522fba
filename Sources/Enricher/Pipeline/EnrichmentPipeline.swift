import Shared

/// The configured enrichment steps in Snowplow's fixed order (reference §3.3), run on one event at a
/// time: every step runs, failures are collected, and at the end `derived_contexts` is written from
/// the entities the steps added.
///
/// Built once by ``EnrichmentRegistry``; immutable, `Sendable`, called concurrently.
struct EnrichmentPipeline: Sendable {
    /// The steps, sorted by ``EnrichmentStep``.
    let steps: [any Enrichment]

    init(steps: [any Enrichment]) {
        self.steps = steps.sorted { $0.step < $1.step }
    }

    /// Runs every step on `context`.
    func run(_ context: inout EnrichmentContext) {
        for step in steps { step.enrich(&context) }
        if let text = context.pseudonymizedDerivedContexts {
            context.event.derivedContexts = text
        } else if !context.derivedEntities.isEmpty {
            context.event.derivedContexts = Self.derivedContextsJSON(context.derivedEntities)
        }
    }

    /// `{"schema":"…/contexts/jsonschema/1-0-1","data":[{"schema":…,"data":…},…]}`.
    static func derivedContextsJSON(_ entities: [EnrichmentEntity]) -> String {
        var text = "{\"schema\":\"\(EventMapper.contextsSchema)\",\"data\":["
        for (position, entity) in entities.enumerated() {
            if position > 0 { text += "," }
            text += "{\"schema\":\(JSONValue.quoted(entity.schema)),\"data\":\(entity.dataJSON)}"
        }
        text += "]}"
        return text
    }
}
