/// A signal that marks an event as coming from a bot. The raw value is the indicator name written into the
/// `bot_detection` entity, one of the four names its schema (`bot_detection/jsonschema/1-0-1`) allows.
///
/// Freshet's signals map onto Snowplow's names by kind: the uap-core parse plays the part of YAUAA's
/// user-agent classification, the configurable user-agent list the part of the IAB spiders-and-robots list,
/// bot ASNs the part of the ASN lookups enrichment's `likelyBot`.
public enum BotIndicator: String, Sendable, Equatable, CaseIterable {
    /// uap-core classified the user agent as a spider (device family `Spider`). Written as `yauaa`.
    case userAgentParserSpider = "yauaa"
    /// The user agent matches a configured bot pattern and no exclusion. Written as `iab`.
    case userAgentPattern = "iab"
    /// The client's network (ASN) is in the configured bot list. Written as `asnLookups`.
    case botAutonomousSystem = "asnLookups"
    /// The tracker's own bot detection said so (`client_side_bot_detection` entity). Written as
    /// `clientSideDetection`.
    case clientSide = "clientSideDetection"
}
