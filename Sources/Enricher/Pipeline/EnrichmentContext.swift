import Shared

/// What the enrichment steps of one event share while the pipeline runs: the event, its raw input, the
/// parsed URLs, the entities to add to `derived_contexts` and the failures so far.
///
/// Owned by the processing task for the duration of one event; not shared.
struct EnrichmentContext {
    /// The event after phase 1, being enriched in place.
    var mapped: MappedEvent
    /// `page_url` parsed by the page-URI step.
    var pageURL: URLParts?
    /// `page_referrer` parsed by the referer step.
    var refererURL: URLParts?
    /// The page URL's querystring, last value per name (page-querystring step).
    var pageQuery = QueryValues()
    /// The uap-core parse of `useragent` (user-agent step), for bot detection.
    var parsedUserAgent: ParsedUserAgent?
    /// The client's autonomous-system number (IP-lookups step), for bot detection.
    var asn: Int?
    /// Entities for `derived_contexts`, in the order the steps added them.
    var derivedEntities: [EnrichmentEntity] = []
    /// `derived_contexts` as rewritten by PII pseudonymisation (the last step); when set it replaces
    /// the serialisation of ``derivedEntities``.
    var pseudonymizedDerivedContexts: String?
    /// Failures collected so far.
    var failures: [BadRow.EnrichmentFailures.Failure] = []

    init(_ mapped: consuming MappedEvent) {
        self.mapped = mapped
    }

    /// The event being enriched. Read in place (`_read`): a step reading one column does not copy the
    /// whole 131-column event.
    var event: EnrichedEvent {
        _read { yield mapped.event }
        _modify { yield &mapped.event }
    }

    /// The event, moved out of the context (which is used up).
    consuming func takeEvent() -> EnrichedEvent {
        mapped.event
    }

    /// The tracker parameters of the event.
    var parameters: TrackerParameters { mapped.raw.event.parameters }

    /// The collector payload's header lines.
    var headers: [String] { mapped.raw.payload.headers ?? [] }
}
