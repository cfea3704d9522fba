/// Every tracker-protocol parameter name enrich maps to an enriched field (`Transform.transformMap`),
/// plus the names `payload_data` accepts but enrich ignores, and names reserved elsewhere.
///
/// See shared/reference/snowplow.md §1.4. The raw value is the name on the wire.
public enum TrackerParameter: String, Sendable, CaseIterable {
    // Common
    case event = "e"
    case trackerVersion = "tv"
    case platform = "p"
    case appID = "aid"
    case trackerNamespace = "tna"
    case eventID = "eid"
    case transactionID = "tid"
    case deviceCreatedTimestamp = "dtm"
    case deviceSentTimestamp = "stm"
    case trueTimestamp = "ttm"
    case timezone = "tz"
    case userID = "uid"
    case domainUserID = "duid"
    case networkUserID = "nuid"
    case thirdPartyNetworkUserID = "tnuid"
    case domainSessionID = "sid"
    case domainSessionIndex = "vid"
    case ipAddress = "ip"
    case userAgent = "ua"
    case fingerprint = "fp"
    case collectorVersion = "cv"
    // Page and browser
    case pageURL = "url"
    case pageTitle = "page"
    case pageReferrer = "refr"
    case screenResolution = "res"
    case viewport = "vp"
    case documentSize = "ds"
    case colorDepth = "cd"
    case documentCharset = "cs"
    case browserLanguage = "lang"
    case cookiesEnabled = "cookie"
    case featurePDF = "f_pdf"
    case featureFlash = "f_fla"
    case featureJava = "f_java"
    case featureDirector = "f_dir"
    case featureQuickTime = "f_qt"
    case featureRealPlayer = "f_realp"
    case featureWindowsMedia = "f_wma"
    case featureGears = "f_gears"
    case featureSilverlight = "f_ag"
    // Self-describing JSON
    case contexts = "co"
    case contextsBase64 = "cx"
    case unstructEvent = "ue_pr"
    case unstructEventBase64 = "ue_px"
    // Structured event (and legacy ev_* aliases)
    case structCategory = "se_ca"
    case structAction = "se_ac"
    case structLabel = "se_la"
    case structProperty = "se_pr"
    case structValue = "se_va"
    case legacyStructCategory = "ev_ca"
    case legacyStructAction = "ev_ac"
    case legacyStructLabel = "ev_la"
    case legacyStructProperty = "ev_pr"
    case legacyStructValue = "ev_va"
    // Transaction
    case transactionOrderID = "tr_id"
    case transactionAffiliation = "tr_af"
    case transactionTotal = "tr_tt"
    case transactionTax = "tr_tx"
    case transactionShipping = "tr_sh"
    case transactionCity = "tr_ci"
    case transactionState = "tr_st"
    case transactionCountry = "tr_co"
    case transactionCurrency = "tr_cu"
    // Transaction item
    case itemOrderID = "ti_id"
    case itemSKU = "ti_sk"
    case itemName = "ti_nm"
    case itemNameMisspelt = "ti_na"
    case itemCategory = "ti_ca"
    case itemPrice = "ti_pr"
    case itemQuantity = "ti_qu"
    case itemCurrency = "ti_cu"
    // Page ping
    case pingXOffsetMin = "pp_mix"
    case pingXOffsetMax = "pp_max"
    case pingYOffsetMin = "pp_miy"
    case pingYOffsetMax = "pp_may"

    /// ``TrackerParameters/packedName(_:)`` of ``rawValue``, as a constant per case: lookups by a known
    /// parameter skip packing the name (every tracker parameter name is 1–7 ASCII bytes).
    /// `TrackerParametersLookupTests` checks each constant against `packedName(rawValue)`.
    public var packedName: UInt64 {
        switch self {
        case .event: 0x0100000000000065  // "e"
        case .trackerVersion: 0x0200000000007674  // "tv"
        case .platform: 0x0100000000000070  // "p"
        case .appID: 0x0300000000646961  // "aid"
        case .trackerNamespace: 0x0300000000616E74  // "tna"
        case .eventID: 0x0300000000646965  // "eid"
        case .transactionID: 0x0300000000646974  // "tid"
        case .deviceCreatedTimestamp: 0x03000000006D7464  // "dtm"
        case .deviceSentTimestamp: 0x03000000006D7473  // "stm"
        case .trueTimestamp: 0x03000000006D7474  // "ttm"
        case .timezone: 0x0200000000007A74  // "tz"
        case .userID: 0x0300000000646975  // "uid"
        case .domainUserID: 0x0400000064697564  // "duid"
        case .networkUserID: 0x040000006469756E  // "nuid"
        case .thirdPartyNetworkUserID: 0x0500006469756E74  // "tnuid"
        case .domainSessionID: 0x0300000000646973  // "sid"
        case .domainSessionIndex: 0x0300000000646976  // "vid"
        case .ipAddress: 0x0200000000007069  // "ip"
        case .userAgent: 0x0200000000006175  // "ua"
        case .fingerprint: 0x0200000000007066  // "fp"
        case .collectorVersion: 0x0200000000007663  // "cv"
        case .pageURL: 0x03000000006C7275  // "url"
        case .pageTitle: 0x0400000065676170  // "page"
        case .pageReferrer: 0x0400000072666572  // "refr"
        case .screenResolution: 0x0300000000736572  // "res"
        case .viewport: 0x0200000000007076  // "vp"
        case .documentSize: 0x0200000000007364  // "ds"
        case .colorDepth: 0x0200000000006463  // "cd"
        case .documentCharset: 0x0200000000007363  // "cs"
        case .browserLanguage: 0x04000000676E616C  // "lang"
        case .cookiesEnabled: 0x060065696B6F6F63  // "cookie"
        case .featurePDF: 0x0500006664705F66  // "f_pdf"
        case .featureFlash: 0x050000616C665F66  // "f_fla"
        case .featureJava: 0x06006176616A5F66  // "f_java"
        case .featureDirector: 0x0500007269645F66  // "f_dir"
        case .featureQuickTime: 0x0400000074715F66  // "f_qt"
        case .featureRealPlayer: 0x07706C6165725F66  // "f_realp"
        case .featureWindowsMedia: 0x050000616D775F66  // "f_wma"
        case .featureGears: 0x0773726165675F66  // "f_gears"
        case .featureSilverlight: 0x0400000067615F66  // "f_ag"
        case .contexts: 0x0200000000006F63  // "co"
        case .contextsBase64: 0x0200000000007863  // "cx"
        case .unstructEvent: 0x05000072705F6575  // "ue_pr"
        case .unstructEventBase64: 0x05000078705F6575  // "ue_px"
        case .structCategory: 0x05000061635F6573  // "se_ca"
        case .structAction: 0x05000063615F6573  // "se_ac"
        case .structLabel: 0x050000616C5F6573  // "se_la"
        case .structProperty: 0x05000072705F6573  // "se_pr"
        case .structValue: 0x05000061765F6573  // "se_va"
        case .legacyStructCategory: 0x05000061635F7665  // "ev_ca"
        case .legacyStructAction: 0x05000063615F7665  // "ev_ac"
        case .legacyStructLabel: 0x050000616C5F7665  // "ev_la"
        case .legacyStructProperty: 0x05000072705F7665  // "ev_pr"
        case .legacyStructValue: 0x05000061765F7665  // "ev_va"
        case .transactionOrderID: 0x05000064695F7274  // "tr_id"
        case .transactionAffiliation: 0x05000066615F7274  // "tr_af"
        case .transactionTotal: 0x05000074745F7274  // "tr_tt"
        case .transactionTax: 0x05000078745F7274  // "tr_tx"
        case .transactionShipping: 0x05000068735F7274  // "tr_sh"
        case .transactionCity: 0x05000069635F7274  // "tr_ci"
        case .transactionState: 0x05000074735F7274  // "tr_st"
        case .transactionCountry: 0x0500006F635F7274  // "tr_co"
        case .transactionCurrency: 0x05000075635F7274  // "tr_cu"
        case .itemOrderID: 0x05000064695F6974  // "ti_id"
        case .itemSKU: 0x0500006B735F6974  // "ti_sk"
        case .itemName: 0x0500006D6E5F6974  // "ti_nm"
        case .itemNameMisspelt: 0x050000616E5F6974  // "ti_na"
        case .itemCategory: 0x05000061635F6974  // "ti_ca"
        case .itemPrice: 0x05000072705F6974  // "ti_pr"
        case .itemQuantity: 0x05000075715F6974  // "ti_qu"
        case .itemCurrency: 0x05000075635F6974  // "ti_cu"
        case .pingXOffsetMin: 0x060078696D5F7070  // "pp_mix"
        case .pingXOffsetMax: 0x060078616D5F7070  // "pp_max"
        case .pingYOffsetMin: 0x060079696D5F7070  // "pp_miy"
        case .pingYOffsetMax: 0x060079616D5F7070  // "pp_may"
        }
    }

    /// The parameter whose ``packedName`` is `packedName`; `nil` for any other key (a switch over the
    /// constants: no table to initialise). `TrackerParametersLookupTests` checks it against every case.
    public init?(packedName: UInt64) {
        switch packedName {
        case 0x0100000000000065: self = .event  // "e"
        case 0x0200000000007674: self = .trackerVersion  // "tv"
        case 0x0100000000000070: self = .platform  // "p"
        case 0x0300000000646961: self = .appID  // "aid"
        case 0x0300000000616E74: self = .trackerNamespace  // "tna"
        case 0x0300000000646965: self = .eventID  // "eid"
        case 0x0300000000646974: self = .transactionID  // "tid"
        case 0x03000000006D7464: self = .deviceCreatedTimestamp  // "dtm"
        case 0x03000000006D7473: self = .deviceSentTimestamp  // "stm"
        case 0x03000000006D7474: self = .trueTimestamp  // "ttm"
        case 0x0200000000007A74: self = .timezone  // "tz"
        case 0x0300000000646975: self = .userID  // "uid"
        case 0x0400000064697564: self = .domainUserID  // "duid"
        case 0x040000006469756E: self = .networkUserID  // "nuid"
        case 0x0500006469756E74: self = .thirdPartyNetworkUserID  // "tnuid"
        case 0x0300000000646973: self = .domainSessionID  // "sid"
        case 0x0300000000646976: self = .domainSessionIndex  // "vid"
        case 0x0200000000007069: self = .ipAddress  // "ip"
        case 0x0200000000006175: self = .userAgent  // "ua"
        case 0x0200000000007066: self = .fingerprint  // "fp"
        case 0x0200000000007663: self = .collectorVersion  // "cv"
        case 0x03000000006C7275: self = .pageURL  // "url"
        case 0x0400000065676170: self = .pageTitle  // "page"
        case 0x0400000072666572: self = .pageReferrer  // "refr"
        case 0x0300000000736572: self = .screenResolution  // "res"
        case 0x0200000000007076: self = .viewport  // "vp"
        case 0x0200000000007364: self = .documentSize  // "ds"
        case 0x0200000000006463: self = .colorDepth  // "cd"
        case 0x0200000000007363: self = .documentCharset  // "cs"
        case 0x04000000676E616C: self = .browserLanguage  // "lang"
        case 0x060065696B6F6F63: self = .cookiesEnabled  // "cookie"
        case 0x0500006664705F66: self = .featurePDF  // "f_pdf"
        case 0x050000616C665F66: self = .featureFlash  // "f_fla"
        case 0x06006176616A5F66: self = .featureJava  // "f_java"
        case 0x0500007269645F66: self = .featureDirector  // "f_dir"
        case 0x0400000074715F66: self = .featureQuickTime  // "f_qt"
        case 0x07706C6165725F66: self = .featureRealPlayer  // "f_realp"
        case 0x050000616D775F66: self = .featureWindowsMedia  // "f_wma"
        case 0x0773726165675F66: self = .featureGears  // "f_gears"
        case 0x0400000067615F66: self = .featureSilverlight  // "f_ag"
        case 0x0200000000006F63: self = .contexts  // "co"
        case 0x0200000000007863: self = .contextsBase64  // "cx"
        case 0x05000072705F6575: self = .unstructEvent  // "ue_pr"
        case 0x05000078705F6575: self = .unstructEventBase64  // "ue_px"
        case 0x05000061635F6573: self = .structCategory  // "se_ca"
        case 0x05000063615F6573: self = .structAction  // "se_ac"
        case 0x050000616C5F6573: self = .structLabel  // "se_la"
        case 0x05000072705F6573: self = .structProperty  // "se_pr"
        case 0x05000061765F6573: self = .structValue  // "se_va"
        case 0x05000061635F7665: self = .legacyStructCategory  // "ev_ca"
        case 0x05000063615F7665: self = .legacyStructAction  // "ev_ac"
        case 0x050000616C5F7665: self = .legacyStructLabel  // "ev_la"
        case 0x05000072705F7665: self = .legacyStructProperty  // "ev_pr"
        case 0x05000061765F7665: self = .legacyStructValue  // "ev_va"
        case 0x05000064695F7274: self = .transactionOrderID  // "tr_id"
        case 0x05000066615F7274: self = .transactionAffiliation  // "tr_af"
        case 0x05000074745F7274: self = .transactionTotal  // "tr_tt"
        case 0x05000078745F7274: self = .transactionTax  // "tr_tx"
        case 0x05000068735F7274: self = .transactionShipping  // "tr_sh"
        case 0x05000069635F7274: self = .transactionCity  // "tr_ci"
        case 0x05000074735F7274: self = .transactionState  // "tr_st"
        case 0x0500006F635F7274: self = .transactionCountry  // "tr_co"
        case 0x05000075635F7274: self = .transactionCurrency  // "tr_cu"
        case 0x05000064695F6974: self = .itemOrderID  // "ti_id"
        case 0x0500006B735F6974: self = .itemSKU  // "ti_sk"
        case 0x0500006D6E5F6974: self = .itemName  // "ti_nm"
        case 0x050000616E5F6974: self = .itemNameMisspelt  // "ti_na"
        case 0x05000061635F6974: self = .itemCategory  // "ti_ca"
        case 0x05000072705F6974: self = .itemPrice  // "ti_pr"
        case 0x05000075715F6974: self = .itemQuantity  // "ti_qu"
        case 0x05000075635F6974: self = .itemCurrency  // "ti_cu"
        case 0x060078696D5F7070: self = .pingXOffsetMin  // "pp_mix"
        case 0x060078616D5F7070: self = .pingXOffsetMax  // "pp_max"
        case 0x060079696D5F7070: self = .pingYOffsetMin  // "pp_miy"
        case 0x060079616D5F7070: self = .pingYOffsetMax  // "pp_may"
        default: return nil
        }
    }

    /// The case's position in ``allCases`` (0-based; its in-memory tag), for tables indexed by parameter.
    /// `TrackerParametersLookupTests` checks it against `allCases`.
    @inline(__always)
    public var ordinal: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    /// Names `payload_data` 1-0-4 accepts but enrich does not map (silently ignored).
    public static let ignoredNames: Set<String> = [
        "ctype", "mac", "ad_ba", "ad_ca", "ad_ad", "ad_uid", "sa", "sn", "st", "sp", "ue_na",
    ]

    /// Names with a meaning outside the event itself: `u` (redirect target of `/r/tp2`), `schema`
    /// (Iglu webhook), `n3pc` (collector cookie-bounce marker). `nuid` on the collector querystring
    /// also sets the cookie value.
    public static let reservedNames: Set<String> = ["u", "schema", "n3pc"]

    /// The parameters `payload_data` requires of every event (in the order violations name them).
    public static let requiredInPayloadData: [TrackerParameter] = [.trackerVersion, .platform, .event]

    /// The property names of `payload_data` 1-0-4 (`additionalProperties: false`): the only names a
    /// POST body event may carry. Querystring parameters merged into POST events are not limited.
    public static let payloadDataNames: Set<String> = [
        "tna", "aid", "p", "dtm", "tz", "e", "tid", "eid", "tv", "duid", "nuid", "uid", "vid", "ip", "res",
        "url", "page", "refr", "fp", "ctype", "cookie", "lang", "f_pdf", "f_qt", "f_realp", "f_wma", "f_dir",
        "f_fla", "f_java", "f_gears", "f_ag", "cd", "ds", "cs", "vp", "mac", "pp_mix", "pp_max", "pp_miy",
        "pp_may", "ad_ba", "ad_ca", "ad_ad", "ad_uid", "tr_id", "tr_af", "tr_tt", "tr_tx", "tr_sh", "tr_ci",
        "tr_st", "tr_co", "tr_cu", "ti_id", "ti_sk", "ti_nm", "ti_na", "ti_ca", "ti_pr", "ti_qu", "ti_cu",
        "sa", "sn", "st", "sp", "se_ca", "se_ac", "se_la", "se_pr", "se_va", "ue_na", "ue_pr", "ue_px", "co",
        "cx", "ua", "tnuid", "stm", "sid", "ttm",
    ]
}
