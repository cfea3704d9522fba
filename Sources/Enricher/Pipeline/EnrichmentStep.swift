/// The positions of Snowplow's enrichments in enrich's fixed execution order
/// (`EnrichmentManager.accState`, reference §3.3). The registry sorts what is configured by this order,
/// whatever order the configuration lists it in; the raw value is the row number of §3.3.
enum EnrichmentStep: Int, Comparable, Sendable, CaseIterable {
    case collectorVersionCheck = 1
    case pageURI = 2
    case derivedTimestamp = 3
    case iabSpidersAndRobots = 4
    case userAgentUtils = 5
    case userAgentParser = 6
    case currencyConversion = 7
    case referer = 8
    case pageQuerystring = 9
    case campaignAttribution = 10
    case crossNavigation = 11
    case eventFingerprint = 12
    case cookieExtractor = 13
    case httpHeaderExtractor = 14
    case weather = 15
    case yauaa = 16
    case schemaFields = 17
    case ipLookups = 18
    case asnLookups = 19
    case botDetection = 20
    case javascript = 21
    case sqlQuery = 22
    case apiRequest = 23
    case anonymizeIP = 24
    case piiPseudonymization = 25

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
