/// Step 9 (built in): parses `page_urlquery` once (last value per name, `+` as space) for the campaign
/// and cross-navigation steps.
struct PageQuerystringStep: Enrichment {
    var step: EnrichmentStep { .pageQuerystring }

    func enrich(_ context: inout EnrichmentContext) {
        guard let query = context.pageURL?.query, !query.isEmpty else { return }
        context.pageQuery = QueryValues(QueryString.parameters(query))
    }
}
