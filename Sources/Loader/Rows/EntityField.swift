/// The flattened columns the loader derives from entities in `derived_contexts`, so the usual
/// questions (browser, OS, device, ASN, bot, visitor and session) need no JSON functions.
///
/// Entities read (any `1-*-*` version; the first matching entity wins):
/// - `iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0` → `ua_*`;
/// - `iglu:com.snowplowanalytics.snowplow/asn/jsonschema/1-0-1` → `asn_number`, `asn_organization`;
/// - `iglu:com.snowplowanalytics.snowplow/bot_detection/jsonschema/1-0-1` → `is_bot`;
/// - `iglu:io.freshet/visitor/jsonschema/1-0-0` (the enricher's visitor profile and server-side
///   session, shape in docs/loader-schema.md) → `visitor_*`.
///
/// The JSON columns stay in the table unchanged; these columns are a convenience copy.
enum EntityField: Int, Sendable, Hashable, CaseIterable {
    case uaFamily, uaMajor, uaMinor, uaPatch, uaVersion
    case uaOsFamily, uaOsMajor, uaOsMinor, uaOsPatch, uaOsPatchMinor, uaOsVersion
    case uaDeviceFamily
    case asnNumber, asnOrganization
    case isBot
    case visitorId, visitorFirstSeen, visitorLastSeen, visitorEventCount, visitorPageViewCount, visitorVisitCount
    case visitorSessionId, visitorSessionIndex, visitorSessionStartedAt
    case visitorFirstTouchMedium, visitorFirstTouchSource, visitorFirstTouchCampaign
    case visitorLastTouchMedium, visitorLastTouchSource, visitorLastTouchCampaign

    /// How a value is stored.
    enum Kind: Sendable {
        /// `String` (`''` when absent).
        case string
        /// `LowCardinality(String)` where the dialect has it, else `String`.
        case lowCardinalityString
        /// `Nullable(UInt32)`.
        case count
        /// `Nullable(UInt8)` (1/0).
        case flag
        /// A `Nullable` timestamp, like the enriched timestamps.
        case timestamp
    }

    var kind: Kind {
        switch self {
        case .uaFamily, .uaMajor, .uaMinor, .uaPatch, .uaVersion, .uaOsFamily, .uaOsMajor, .uaOsMinor, .uaOsPatch,
            .uaOsPatchMinor, .uaOsVersion, .uaDeviceFamily, .asnOrganization, .visitorFirstTouchMedium,
            .visitorFirstTouchSource, .visitorLastTouchMedium, .visitorLastTouchSource:
            .lowCardinalityString
        case .visitorId, .visitorSessionId, .visitorFirstTouchCampaign, .visitorLastTouchCampaign: .string
        case .asnNumber, .visitorEventCount, .visitorPageViewCount, .visitorVisitCount, .visitorSessionIndex: .count
        case .isBot: .flag
        case .visitorFirstSeen, .visitorLastSeen, .visitorSessionStartedAt: .timestamp
        }
    }

    /// The column name, e.g. `ua_os_family`.
    var columnName: String {
        switch self {
        case .uaFamily: "ua_family"
        case .uaMajor: "ua_major"
        case .uaMinor: "ua_minor"
        case .uaPatch: "ua_patch"
        case .uaVersion: "ua_version"
        case .uaOsFamily: "ua_os_family"
        case .uaOsMajor: "ua_os_major"
        case .uaOsMinor: "ua_os_minor"
        case .uaOsPatch: "ua_os_patch"
        case .uaOsPatchMinor: "ua_os_patch_minor"
        case .uaOsVersion: "ua_os_version"
        case .uaDeviceFamily: "ua_device_family"
        case .asnNumber: "asn_number"
        case .asnOrganization: "asn_organization"
        case .isBot: "is_bot"
        case .visitorId: "visitor_id"
        case .visitorFirstSeen: "visitor_first_seen"
        case .visitorLastSeen: "visitor_last_seen"
        case .visitorEventCount: "visitor_event_count"
        case .visitorPageViewCount: "visitor_page_view_count"
        case .visitorVisitCount: "visitor_visit_count"
        case .visitorSessionId: "visitor_session_id"
        case .visitorSessionIndex: "visitor_session_index"
        case .visitorSessionStartedAt: "visitor_session_started_at"
        case .visitorFirstTouchMedium: "visitor_first_touch_medium"
        case .visitorFirstTouchSource: "visitor_first_touch_source"
        case .visitorFirstTouchCampaign: "visitor_first_touch_campaign"
        case .visitorLastTouchMedium: "visitor_last_touch_medium"
        case .visitorLastTouchSource: "visitor_last_touch_source"
        case .visitorLastTouchCampaign: "visitor_last_touch_campaign"
        }
    }

    /// The entity member the value is read from: a key, or a path of keys into nested objects.
    var memberPath: [String] {
        switch self {
        case .uaFamily: ["useragentFamily"]
        case .uaMajor: ["useragentMajor"]
        case .uaMinor: ["useragentMinor"]
        case .uaPatch: ["useragentPatch"]
        case .uaVersion: ["useragentVersion"]
        case .uaOsFamily: ["osFamily"]
        case .uaOsMajor: ["osMajor"]
        case .uaOsMinor: ["osMinor"]
        case .uaOsPatch: ["osPatch"]
        case .uaOsPatchMinor: ["osPatchMinor"]
        case .uaOsVersion: ["osVersion"]
        case .uaDeviceFamily: ["deviceFamily"]
        case .asnNumber: ["number"]
        case .asnOrganization: ["organization"]
        case .isBot: ["bot"]
        case .visitorId: ["visitorId"]
        case .visitorFirstSeen: ["firstSeen"]
        case .visitorLastSeen: ["lastSeen"]
        case .visitorEventCount: ["eventCount"]
        case .visitorPageViewCount: ["pageViewCount"]
        case .visitorVisitCount: ["visitCount"]
        case .visitorSessionId: ["sessionId"]
        case .visitorSessionIndex: ["sessionIndex"]
        case .visitorSessionStartedAt: ["sessionStartedAt"]
        case .visitorFirstTouchMedium: ["firstTouch", "medium"]
        case .visitorFirstTouchSource: ["firstTouch", "source"]
        case .visitorFirstTouchCampaign: ["firstTouch", "campaign"]
        case .visitorLastTouchMedium: ["lastTouch", "medium"]
        case .visitorLastTouchSource: ["lastTouch", "source"]
        case .visitorLastTouchCampaign: ["lastTouch", "campaign"]
        }
    }

    /// The entity this column comes from.
    var entity: DerivedEntity {
        switch self {
        case .uaFamily, .uaMajor, .uaMinor, .uaPatch, .uaVersion, .uaOsFamily, .uaOsMajor, .uaOsMinor, .uaOsPatch,
            .uaOsPatchMinor, .uaOsVersion, .uaDeviceFamily:
            .userAgent
        case .asnNumber, .asnOrganization: .asn
        case .isBot: .botDetection
        default: .visitor
        }
    }

    /// The ClickHouse type for `dialect`.
    func type(dialect: ClickHouseDialect) -> String {
        switch kind {
        case .string: "String"
        case .lowCardinalityString: dialect.lowCardinalityString
        case .count: "Nullable(UInt32)"
        case .flag: "Nullable(UInt8)"
        case .timestamp: dialect.timestampType(nullable: true)
        }
    }
}

/// The entities ``EntityField`` flattens, recognised by their Iglu schema prefix.
enum DerivedEntity: Int, Sendable, CaseIterable {
    case userAgent, asn, botDetection, visitor

    /// Schemas starting with this (any `1-*-*` version) are this entity.
    var schemaPrefix: String {
        switch self {
        case .userAgent: "iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-"
        case .asn: "iglu:com.snowplowanalytics.snowplow/asn/jsonschema/1-"
        case .botDetection: "iglu:com.snowplowanalytics.snowplow/bot_detection/jsonschema/1-"
        case .visitor: "iglu:io.freshet/visitor/jsonschema/1-"
        }
    }
}
