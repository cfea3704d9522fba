/// A derived entity an enrichment adds to `derived_contexts`: the Iglu schema URI and the entity's
/// `data` as compact JSON text. (The lead will unify this with the other enrichments' entity type.)
public struct EnrichmentEntity: Sendable, Equatable {
    /// e.g. `iglu:org.ietf/http_cookie/jsonschema/1-0-0`.
    public var schema: String
    /// Compact JSON object text, e.g. `{"name":"sp","value":"abc"}`.
    public var dataJSON: String

    public init(schema: String, dataJSON: String) {
        self.schema = schema
        self.dataJSON = dataJSON
    }
}
