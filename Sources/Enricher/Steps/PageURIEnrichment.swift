/// Step 2 (built in): splits `page_url` (the `url` parameter, else the `Referer` header) into
/// `page_urlscheme`, `page_urlhost`, `page_urlport` (443 for https, 80 otherwise when absent),
/// `page_urlpath`, `page_urlquery` and `page_urlfragment`, raw (not decoded), with Snowplow's lenient
/// URL parser. An unparseable URL is an enrichment failure.
struct PageURIEnrichment: Enrichment {
    var step: EnrichmentStep { .pageURI }

    func enrich(_ context: inout EnrichmentContext) {
        guard let url = context.event.pageUrl else { return }
        switch URLParser.parse(url) {
        case .success(let parts):
            context.pageURL = parts
            context.event.pageUrlscheme = parts.scheme
            context.event.pageUrlhost = parts.host
            context.event.pageUrlport = parts.port
            context.event.pageUrlpath = parts.path
            context.event.pageUrlquery = parts.query
            context.event.pageUrlfragment = parts.fragment
        case .failure(let failure):
            fail(&context, field: "page_url", value: url, expectation: failure.description)
        }
    }
}
