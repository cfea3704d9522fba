import Shared

/// Step 11 (built in part): the cross-domain linker parameter `_sp` of the page URL —
/// `domainUserId.timestampMs[.…]` — sets `refr_domain_userid` and `refr_dvce_tstamp`, as enrich does
/// whether or not the cross-navigation enrichment is on. (The optional `cross_navigation` entity is not
/// produced.)
struct CrossNavigationStep: Enrichment {
    var step: EnrichmentStep { .crossNavigation }

    func enrich(_ context: inout EnrichmentContext) {
        guard let linker = context.pageQuery["_sp"], !linker.isEmpty else { return }
        let parts = linker.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        if let userID = parts.first, !userID.isEmpty {
            context.event.refrDomainUserid = ParameterConversion.tsvSafe(String(userID))
        }
        if parts.count > 1, let milliseconds = Int64(parts[1]) {
            context.event.refrDvceTstamp = SnowplowTimestamp(millisecondsSinceEpoch: milliseconds)
        }
    }
}
