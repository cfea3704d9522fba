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

    /// Names `payload_data` 1-0-4 accepts but enrich does not map (silently ignored).
    public static let ignoredNames: Set<String> = [
        "ctype", "mac", "ad_ba", "ad_ca", "ad_ad", "ad_uid", "sa", "sn", "st", "sp", "ue_na",
    ]

    /// Names with a meaning outside the event itself: `u` (redirect target of `/r/tp2`), `schema`
    /// (Iglu webhook), `n3pc` (collector cookie-bounce marker). `nuid` on the collector querystring
    /// also sets the cookie value.
    public static let reservedNames: Set<String> = ["u", "schema", "n3pc"]

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
