import Shared

/// Step 18: MaxMind lookups of the client address (before anonymisation) fill the `geo_*` and `ip_*`
/// columns and add the ASN entity. Lookup failures are swallowed, as in enrich (a database error is
/// logged by the engine, never a bad row).
struct IPLookupsStep: Enrichment {
    let lookups: IPLookupsEnrichment
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .ipLookups }

    func enrich(_ context: inout EnrichmentContext) {
        guard let address = context.mapped.clientAddress else { return }
        let result = lookups.lookup(address)
        context.event.geoCountry = result.geoCountry
        context.event.geoRegion = result.geoRegion
        context.event.geoCity = result.geoCity
        context.event.geoZipcode = result.geoZipcode
        context.event.geoLatitude = result.geoLatitudeColumn
        context.event.geoLongitude = result.geoLongitudeColumn
        context.event.geoRegionName = result.geoRegionName
        context.event.geoTimezone = result.geoTimezone
        context.event.ipIsp = result.ipIsp
        context.event.ipOrganization = result.ipOrganization
        context.event.ipDomain = result.ipDomain
        context.event.ipNetspeed = result.ipNetspeed
        context.asn = result.asnNumber
        for entity in result.entities {
            context.derivedEntities.append(EnrichmentEntity(schema: entity.schema, dataJSON: entity.dataJSON))
        }
    }
}
