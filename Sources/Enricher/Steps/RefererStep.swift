import Shared

/// Step 8: always splits `page_referrer` into the `refr_url*` columns (like the page URL; an
/// unparseable referrer is an enrichment failure) and, when the referer-parser enrichment is
/// configured, classifies it into `refr_medium`, `refr_source` and `refr_term` with the referer
/// database (internal when the host is the page's host or a configured internal domain).
struct RefererStep: Enrichment {
    /// The configured referer parser, or `nil` when `referer_parser` is off.
    let parser: RefererEnrichment?
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .referer }

    func enrich(_ context: inout EnrichmentContext) {
        guard let referrer = context.event.pageReferrer else { return }
        let parts: URLParts
        switch URLParser.parse(referrer) {
        case .success(let parsed): parts = parsed
        case .failure(let failure):
            context.failures.append(
                BadRow.EnrichmentFailures.Failure(
                    enrichment: nil, message: .inputData(field: "page_referrer", value: referrer, expectation: failure.description)))
            return
        }
        context.refererURL = parts
        context.event.refrUrlscheme = parts.scheme
        context.event.refrUrlhost = parts.host
        context.event.refrUrlport = parts.port
        context.event.refrUrlpath = parts.path
        context.event.refrUrlquery = parts.query
        context.event.refrUrlfragment = parts.fragment
        guard let parser, let fields = parser.classify(referer: parts, pageHost: context.pageURL?.host) else { return }
        context.event.refrMedium = fields.medium.rawValue
        context.event.refrSource = fields.source
        context.event.refrTerm = fields.term
    }
}
