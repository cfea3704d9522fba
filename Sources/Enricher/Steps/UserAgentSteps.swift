import Shared

/// Step 6: the uap-core user-agent parser adds the `ua_parser_context` entity and fills the atomic
/// browser, OS and device columns (`br_name`, `br_family`, `br_version`, `os_name`, `os_family`,
/// `dvce_type`, `dvce_ismobile`) from the event's `useragent`; its parse is kept for bot detection.
struct UserAgentStep: Enrichment {
    let parser: UserAgentEnrichment
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .userAgentParser }

    func enrich(_ context: inout EnrichmentContext) {
        guard let result = parser.enrich(useragent: context.event.useragent) else { return }
        context.parsedUserAgent = result.parsed
        context.derivedEntities.append(EnrichmentEntity(schema: result.entity.schema, dataJSON: result.entity.dataJSON))
        if let fields = result.atomicFields {
            context.event.brName = fields.browserName
            context.event.brFamily = fields.browserFamily
            context.event.brVersion = fields.browserVersion
            context.event.osName = fields.osName
            context.event.osFamily = fields.osFamily
            context.event.dvceType = fields.deviceType
            context.event.dvceIsmobile = fields.deviceIsMobile
        }
    }
}

/// Step 20: bot detection adds a `bot_detection` entity to every event — flagged, never dropped — from
/// the user-agent parse (uap-core spiders), configured user-agent patterns and bot ASNs (from the IP
/// lookups' ASN).
struct BotDetectionStep: Enrichment {
    let detector: BotDetector
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .botDetection }

    func enrich(_ context: inout EnrichmentContext) {
        let result = detector.detect(useragent: context.event.useragent, parsed: context.parsedUserAgent, asn: context.asn)
        let entity = result.entity
        context.derivedEntities.append(EnrichmentEntity(schema: entity.schema, dataJSON: entity.dataJSON))
    }
}
