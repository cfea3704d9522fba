/// The payload of `schema_violations` and `enrichment_failures` bad rows:
/// `{"enriched": <partially enriched event>, "raw": <raw event>}`.
public struct BadRowEnrichmentPayload: Sendable, Hashable {
    /// The event as far as enrichment got (columns not reached are `nil`).
    public var enriched: EnrichedEvent
    public var raw: BadRowRawEvent

    public init(enriched: EnrichedEvent, raw: BadRowRawEvent) {
        self.enriched = enriched
        self.raw = raw
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("enriched")
        enriched.writePartiallyEnrichedJSON(to: &writer)
        writer.key("raw")
        raw.write(to: &writer)
        writer.endObject()
    }
}
