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
        // By index: the subscript lends each step in place; `for step in steps` copied every step
        // (retaining all its stored references) per event.
        for index in steps.indices { steps[index].enrich(&context) }
        if let text = context.pseudonymizedDerivedContexts {
            context.event.derivedContexts = text
        } else if !context.derivedEntities.isEmpty {
            context.event.derivedContexts = Self.derivedContextsJSON(context.derivedEntities)
        }
    }

    /// `{"schema":"…/contexts/jsonschema/1-0-1","data":[{"schema":…,"data":…},…]}`.
    ///
    /// Written into one byte buffer sized up front (this runs for every event with a derived entity).
    static func derivedContextsJSON(_ entities: [EnrichmentEntity]) -> String {
        var capacity = wrapperPrefix.count + 2
        for entity in entities { capacity += entity.schema.utf8.count + entity.dataJSON.utf8.count + 24 }
        var output: [UInt8] = []
        output.reserveCapacity(capacity)
        output.append(contentsOf: wrapperPrefix)
        for (position, entity) in entities.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: schemaKey)
            JSONValue.writeString(entity.schema, to: &output)
            output.append(contentsOf: dataKey)
            var data = entity.dataJSON
            data.withUTF8 { output.append(contentsOf: $0) }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "]"))
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }

    private static let wrapperPrefix: [UInt8] = Array("{\"schema\":\"\(EventMapper.contextsSchema)\",\"data\":[".utf8)
    private static let schemaKey: [UInt8] = Array("{\"schema\":".utf8)
    private static let dataKey: [UInt8] = Array(",\"data\":".utf8)
}
