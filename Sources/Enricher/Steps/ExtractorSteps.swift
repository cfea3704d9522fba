import Shared

/// Step 13: the cookie extractor adds one `org.ietf/http_cookie` entity per configured cookie found in
/// the request's `Cookie` headers.
struct CookieExtractorStep: Enrichment {
    let extractor: CookieExtractorEnrichment
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .cookieExtractor }

    func enrich(_ context: inout EnrichmentContext) {
        context.derivedEntities += extractor.extract(headers: context.headers)
    }
}

/// Step 14: the HTTP header extractor adds one `org.ietf/http_header` entity per request header whose
/// name matches the configured pattern.
struct HTTPHeaderExtractorStep: Enrichment {
    let extractor: HTTPHeaderExtractorEnrichment
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .httpHeaderExtractor }

    func enrich(_ context: inout EnrichmentContext) {
        context.derivedEntities += extractor.extract(headers: context.headers)
    }
}
