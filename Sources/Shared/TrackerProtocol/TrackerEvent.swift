/// One raw tracker event: the parameters a tracker sent for one event (one GET request, or one
/// element of a tp2 POST batch with the querystring merged in), before enrichment.
///
/// The parameters are kept as received (decoded strings, in order); the accessors below apply the
/// conversions of reference §1.4 on demand, so mapping to the enriched event is one line per field.
/// - String fields return the TSV-safe value (`nil` when absent or empty after cleaning).
/// - Converted fields return `Result<T?, ParameterViolation>`: `.success(nil)` when absent.
/// - Self-describing JSON (`co`/`cx`, `ue_pr`/`ue_px`): see `TrackerEvent+SelfDescribing.swift`.
///
/// A plain `Sendable` value.
public struct TrackerEvent: Sendable, Equatable {
    /// The raw parameters.
    public var parameters: TrackerParameters

    /// An event with these parameters.
    public init(parameters: TrackerParameters) {
        self.parameters = parameters
    }

    /// The raw value of a parameter.
    public subscript(parameter: TrackerParameter) -> String? { parameters[parameter] }

    private func string(_ parameter: TrackerParameter) -> String? {
        ParameterConversion.tsvSafe(parameters[parameter])
    }

    /// The first present of two names (canonical name first, legacy alias second).
    private func either(_ primary: TrackerParameter, _ alias: TrackerParameter) -> (field: String, value: String?) {
        if let value = parameters[primary] { return (primary.rawValue, value) }
        return (alias.rawValue, parameters[alias])
    }

    // MARK: Event, tracker, platform

    /// `e` as an event type (unknown codes kept as ``TrackerEventType/unknown(_:)``); `nil` if absent.
    public var eventType: TrackerEventType? { parameters[.event].map(TrackerEventType.init(code:)) }
    /// `e` validated: unknown codes are a violation.
    public var validatedEventType: Result<TrackerEventType?, ParameterViolation> {
        ParameterConversion.eventType(parameters[.event])
    }
    /// `p` as a platform (unknown codes kept as ``TrackerPlatform/unknown(_:)``); `nil` if absent.
    public var platform: TrackerPlatform? { parameters[.platform].map(TrackerPlatform.init(code:)) }
    /// `p` validated: unknown codes are a violation.
    public var validatedPlatform: Result<TrackerPlatform?, ParameterViolation> {
        ParameterConversion.platform(parameters[.platform])
    }
    /// `tv` → `v_tracker`.
    public var trackerVersion: String? { string(.trackerVersion) }
    /// `tna` → `name_tracker`.
    public var trackerNamespace: String? { string(.trackerNamespace) }
    /// `aid` → `app_id`.
    public var appID: String? { string(.appID) }
    /// `eid` → `event_id`: a UUID, lower-cased.
    public var eventID: Result<String?, ParameterViolation> { ParameterConversion.uuid(parameters[.eventID], field: "eid") }
    /// `tid` → `txn_id` (deprecated): an integer.
    public var transactionID: Result<Int32?, ParameterViolation> { ParameterConversion.integer(parameters[.transactionID], field: "tid") }
    /// `cv` → `v_collector` (overrides the collector's value).
    public var collectorVersion: String? { string(.collectorVersion) }

    // MARK: Timestamps

    /// `dtm` → `dvce_created_tstamp`.
    public var deviceCreatedTimestamp: Result<TrackerTimestamp?, ParameterViolation> {
        ParameterConversion.timestamp(parameters[.deviceCreatedTimestamp], field: "dtm")
    }
    /// `stm` → `dvce_sent_tstamp`.
    public var deviceSentTimestamp: Result<TrackerTimestamp?, ParameterViolation> {
        ParameterConversion.timestamp(parameters[.deviceSentTimestamp], field: "stm")
    }
    /// `ttm` → `true_tstamp`.
    public var trueTimestamp: Result<TrackerTimestamp?, ParameterViolation> {
        ParameterConversion.timestamp(parameters[.trueTimestamp], field: "ttm")
    }
    /// `tz` → `os_timezone`.
    public var timezone: String? { string(.timezone) }

    // MARK: Identity

    /// `uid` → `user_id`.
    public var userID: String? { string(.userID) }
    /// `duid` → `domain_userid`.
    public var domainUserID: String? { string(.domainUserID) }
    /// `nuid` → `network_userid`.
    public var networkUserID: String? { string(.networkUserID) }
    /// `tnuid` → `network_userid` (applied last, so it wins over `nuid`).
    public var thirdPartyNetworkUserID: String? { string(.thirdPartyNetworkUserID) }
    /// The network user id the event itself sets: `tnuid`, else `nuid`, else `nil` (then the
    /// collector cookie applies).
    public var effectiveNetworkUserID: String? { thirdPartyNetworkUserID ?? networkUserID }
    /// `sid` → `domain_sessionid`: a UUID, lower-cased.
    public var domainSessionID: Result<String?, ParameterViolation> { ParameterConversion.uuid(parameters[.domainSessionID], field: "sid") }
    /// `vid` → `domain_sessionidx`: an integer.
    public var domainSessionIndex: Result<Int32?, ParameterViolation> {
        ParameterConversion.integer(parameters[.domainSessionIndex], field: "vid")
    }
    /// `ip` → `user_ipaddress`: first token of a `,`/`|`/space separated list.
    public var ipAddress: String? { ParameterConversion.ipAddress(parameters[.ipAddress]) }
    /// `ua` → `useragent` (overrides the User-Agent header).
    public var userAgent: String? { string(.userAgent) }
    /// `fp` → `user_fingerprint` (deprecated).
    public var fingerprint: String? { string(.fingerprint) }

    // MARK: Page and browser

    /// `url` → `page_url` (already percent-decoded by the querystring parser).
    public var pageURL: String? { string(.pageURL) }
    /// `page` → `page_title`.
    public var pageTitle: String? { string(.pageTitle) }
    /// `refr` → `page_referrer`.
    public var pageReferrer: String? { string(.pageReferrer) }
    /// `res` → `dvce_screenwidth`/`dvce_screenheight`.
    public var screenResolution: Result<ViewDimensions?, ParameterViolation> {
        ParameterConversion.dimensions(parameters[.screenResolution], field: "res")
    }
    /// `vp` → `br_viewwidth`/`br_viewheight`.
    public var viewport: Result<ViewDimensions?, ParameterViolation> {
        ParameterConversion.dimensions(parameters[.viewport], field: "vp")
    }
    /// `ds` → `doc_width`/`doc_height`.
    public var documentSize: Result<ViewDimensions?, ParameterViolation> {
        ParameterConversion.dimensions(parameters[.documentSize], field: "ds")
    }
    /// `cd` → `br_colordepth`.
    public var colorDepth: String? { string(.colorDepth) }
    /// `cs` → `doc_charset`.
    public var documentCharset: String? { string(.documentCharset) }
    /// `lang` → `br_lang`.
    public var browserLanguage: String? { string(.browserLanguage) }
    /// `cookie` → `br_cookies`.
    public var cookiesEnabled: Result<Bool?, ParameterViolation> { boolean(.cookiesEnabled) }

    /// A browser-feature flag (`f_pdf` … `f_ag`) → `br_features_*`.
    public func browserFeature(_ parameter: TrackerParameter) -> Result<Bool?, ParameterViolation> { boolean(parameter) }

    /// The browser-feature parameters and their enriched columns, in column order.
    public static let browserFeatures: [(parameter: TrackerParameter, column: String)] = [
        (.featurePDF, "br_features_pdf"), (.featureFlash, "br_features_flash"), (.featureJava, "br_features_java"),
        (.featureDirector, "br_features_director"), (.featureQuickTime, "br_features_quicktime"),
        (.featureRealPlayer, "br_features_realplayer"), (.featureWindowsMedia, "br_features_windowsmedia"),
        (.featureGears, "br_features_gears"), (.featureSilverlight, "br_features_silverlight"),
    ]

    private func boolean(_ parameter: TrackerParameter) -> Result<Bool?, ParameterViolation> {
        ParameterConversion.boolean(parameters[parameter], field: parameter.rawValue)
    }

    // MARK: Structured event (se_*, legacy ev_*; se_* wins when both are present)

    /// `se_ca` (`ev_ca`) → `se_category`.
    public var structCategory: String? { ParameterConversion.tsvSafe(either(.structCategory, .legacyStructCategory).value) }
    /// `se_ac` (`ev_ac`) → `se_action`.
    public var structAction: String? { ParameterConversion.tsvSafe(either(.structAction, .legacyStructAction).value) }
    /// `se_la` (`ev_la`) → `se_label`.
    public var structLabel: String? { ParameterConversion.tsvSafe(either(.structLabel, .legacyStructLabel).value) }
    /// `se_pr` (`ev_pr`) → `se_property`.
    public var structProperty: String? { ParameterConversion.tsvSafe(either(.structProperty, .legacyStructProperty).value) }
    /// `se_va` (`ev_va`) → `se_value`: a decimal (`null` → `nil`).
    public var structValue: Result<TrackerDecimal?, ParameterViolation> {
        let (field, value) = either(.structValue, .legacyStructValue)
        return ParameterConversion.decimal(value, field: field)
    }

    // MARK: Transaction

    /// `tr_id` → `tr_orderid`.
    public var transactionOrderID: String? { string(.transactionOrderID) }
    /// `tr_af` → `tr_affiliation`.
    public var transactionAffiliation: String? { string(.transactionAffiliation) }
    /// `tr_tt` → `tr_total`.
    public var transactionTotal: Result<TrackerDecimal?, ParameterViolation> { decimal(.transactionTotal) }
    /// `tr_tx` → `tr_tax`.
    public var transactionTax: Result<TrackerDecimal?, ParameterViolation> { decimal(.transactionTax) }
    /// `tr_sh` → `tr_shipping`.
    public var transactionShipping: Result<TrackerDecimal?, ParameterViolation> { decimal(.transactionShipping) }
    /// `tr_ci` → `tr_city`.
    public var transactionCity: String? { string(.transactionCity) }
    /// `tr_st` → `tr_state`.
    public var transactionState: String? { string(.transactionState) }
    /// `tr_co` → `tr_country`.
    public var transactionCountry: String? { string(.transactionCountry) }
    /// `tr_cu` → `tr_currency`.
    public var transactionCurrency: String? { string(.transactionCurrency) }

    // MARK: Transaction item

    /// `ti_id` → `ti_orderid`.
    public var itemOrderID: String? { string(.itemOrderID) }
    /// `ti_sk` → `ti_sku`.
    public var itemSKU: String? { string(.itemSKU) }
    /// `ti_nm` (or the mis-spelt `ti_na`) → `ti_name`.
    public var itemName: String? { ParameterConversion.tsvSafe(either(.itemName, .itemNameMisspelt).value) }
    /// `ti_ca` → `ti_category`.
    public var itemCategory: String? { string(.itemCategory) }
    /// `ti_pr` → `ti_price`.
    public var itemPrice: Result<TrackerDecimal?, ParameterViolation> { decimal(.itemPrice) }
    /// `ti_qu` → `ti_quantity`.
    public var itemQuantity: Result<Int32?, ParameterViolation> { integer(.itemQuantity) }
    /// `ti_cu` → `ti_currency`.
    public var itemCurrency: String? { string(.itemCurrency) }

    // MARK: Page ping

    /// `pp_mix` → `pp_xoffset_min`.
    public var pingXOffsetMin: Result<Int32?, ParameterViolation> { integer(.pingXOffsetMin) }
    /// `pp_max` → `pp_xoffset_max`.
    public var pingXOffsetMax: Result<Int32?, ParameterViolation> { integer(.pingXOffsetMax) }
    /// `pp_miy` → `pp_yoffset_min`.
    public var pingYOffsetMin: Result<Int32?, ParameterViolation> { integer(.pingYOffsetMin) }
    /// `pp_may` → `pp_yoffset_max`.
    public var pingYOffsetMax: Result<Int32?, ParameterViolation> { integer(.pingYOffsetMax) }

    private func decimal(_ parameter: TrackerParameter) -> Result<TrackerDecimal?, ParameterViolation> {
        ParameterConversion.decimal(parameters[parameter], field: parameter.rawValue)
    }

    private func integer(_ parameter: TrackerParameter) -> Result<Int32?, ParameterViolation> {
        ParameterConversion.integer(parameters[parameter], field: parameter.rawValue)
    }
}
