/// One Snowplow enriched event: the 131 atomic columns of the enriched TSV (`snowplow/enrich`
/// `ConversionUtils.tabSeparatedEnrichedEvent`), in that order, each optional (`nil` is the empty
/// TSV column).
///
/// Property names are the Snowplow column names in lower camel case (`app_id` → `appId`,
/// `br_features_pdf` → `brFeaturesPdf`). Everything that needs to go over all columns — the TSV
/// codec, the Analytics-SDK JSON, the bad-row payload, the ClickHouse schema, length validation —
/// iterates ``EnrichedEventField/all`` instead of naming the columns again.
///
/// Types: strings and the three JSON columns (`contexts`, `unstruct_event`, `derived_contexts`) are
/// `String`; timestamps are ``SnowplowTimestamp`` (UTC, milliseconds); money and `se_value` are
/// ``SnowplowDecimal`` (exact text); `geo_latitude`/`geo_longitude` are `Double`; the `1`/`0` flags
/// are `Bool`; counts, ports and sizes are `Int`.
///
/// A plain value: `Sendable`, freely copied, no shared state.
public struct EnrichedEvent: Sendable, Hashable {
    /// An event with every column empty.
    public init() {}

    /// Column 1 `app_id`. String, at most 255 characters. Source: aid.
    public var appId: String?

    /// Column 2 `platform`. String, at most 255 characters. Source: p.
    public var platform: String?

    /// Column 3 `etl_tstamp`. Timestamp (UTC, millisecond precision). Source: enrich clock.
    public var etlTstamp: SnowplowTimestamp?

    /// Column 4 `collector_tstamp`. Timestamp (UTC, millisecond precision). Source: CollectorPayload.timestamp.
    public var collectorTstamp: SnowplowTimestamp?

    /// Column 5 `dvce_created_tstamp`. Timestamp (UTC, millisecond precision). Source: dtm.
    public var dvceCreatedTstamp: SnowplowTimestamp?

    /// Column 6 `event`. String, at most 128 characters. Source: e.
    public var event: String?

    /// Column 7 `event_id`. String, at most 36 characters. Source: eid.
    public var eventId: String?

    /// Column 8 `txn_id`. Integer. Source: tid.
    public var txnId: Int?

    /// Column 9 `name_tracker`. String, at most 128 characters. Source: tna.
    public var nameTracker: String?

    /// Column 10 `v_tracker`. String, at most 100 characters. Source: tv.
    public var vTracker: String?

    /// Column 11 `v_collector`. String, at most 100 characters. Source: collector (or `cv`).
    public var vCollector: String?

    /// Column 12 `v_etl`. String, at most 100 characters. Source: enrich version.
    public var vEtl: String?

    /// Column 13 `user_id`. String, at most 255 characters. Source: uid.
    public var userId: String?

    /// Column 14 `user_ipaddress`. String, at most 128 characters. Source: `ip` param, else X-Forwarded-For / Forwarded / collector IP.
    public var userIpaddress: String?

    /// Column 15 `user_fingerprint`. String, at most 128 characters. Source: fp.
    public var userFingerprint: String?

    /// Column 16 `domain_userid`. String, at most 128 characters. Source: duid.
    public var domainUserid: String?

    /// Column 17 `domain_sessionidx`. Integer. Source: vid.
    public var domainSessionidx: Int?

    /// Column 18 `network_userid`. String, at most 128 characters. Source: `tnuid` > `nuid` > collector cookie.
    public var networkUserid: String?

    /// Column 19 `geo_country`. String, at most 2 characters. Source: IP lookups.
    public var geoCountry: String?

    /// Column 20 `geo_region`. String, at most 3 characters. Source: IP lookups.
    public var geoRegion: String?

    /// Column 21 `geo_city`. String, at most 75 characters. Source: IP lookups.
    public var geoCity: String?

    /// Column 22 `geo_zipcode`. String, at most 15 characters. Source: IP lookups.
    public var geoZipcode: String?

    /// Column 23 `geo_latitude`. Floating-point number. Source: IP lookups.
    public var geoLatitude: Double?

    /// Column 24 `geo_longitude`. Floating-point number. Source: IP lookups.
    public var geoLongitude: Double?

    /// Column 25 `geo_region_name`. String, at most 100 characters. Source: IP lookups.
    public var geoRegionName: String?

    /// Column 26 `ip_isp`. String, at most 100 characters. Source: IP lookups (ISP db).
    public var ipIsp: String?

    /// Column 27 `ip_organization`. String, at most 128 characters. Source: IP lookups (ISP db).
    public var ipOrganization: String?

    /// Column 28 `ip_domain`. String, at most 128 characters. Source: IP lookups (domain db).
    public var ipDomain: String?

    /// Column 29 `ip_netspeed`. String, at most 100 characters. Source: IP lookups (connection-type db).
    public var ipNetspeed: String?

    /// Column 30 `page_url`. String, at most 10000 characters (enrich default; schema 4096). Source: url (else Referer header).
    public var pageUrl: String?

    /// Column 31 `page_title`. String, at most 2000 characters. Source: page.
    public var pageTitle: String?

    /// Column 32 `page_referrer`. String, at most 10000 characters (enrich default; schema 4096). Source: refr.
    public var pageReferrer: String?

    /// Column 33 `page_urlscheme`. String, at most 16 characters. Source: parsed page_url.
    public var pageUrlscheme: String?

    /// Column 34 `page_urlhost`. String, at most 255 characters. Source: parsed page_url.
    public var pageUrlhost: String?

    /// Column 35 `page_urlport`. Integer. Source: parsed page_url.
    public var pageUrlport: Int?

    /// Column 36 `page_urlpath`. String, at most 3000 characters. Source: parsed page_url.
    public var pageUrlpath: String?

    /// Column 37 `page_urlquery`. String, at most 6000 characters. Source: parsed page_url.
    public var pageUrlquery: String?

    /// Column 38 `page_urlfragment`. String, at most 3000 characters. Source: parsed page_url.
    public var pageUrlfragment: String?

    /// Column 39 `refr_urlscheme`. String, at most 16 characters. Source: parsed page_referrer.
    public var refrUrlscheme: String?

    /// Column 40 `refr_urlhost`. String, at most 255 characters. Source: parsed page_referrer.
    public var refrUrlhost: String?

    /// Column 41 `refr_urlport`. Integer. Source: parsed page_referrer.
    public var refrUrlport: Int?

    /// Column 42 `refr_urlpath`. String, at most 6000 characters. Source: parsed page_referrer.
    public var refrUrlpath: String?

    /// Column 43 `refr_urlquery`. String, at most 6000 characters. Source: parsed page_referrer.
    public var refrUrlquery: String?

    /// Column 44 `refr_urlfragment`. String, at most 3000 characters. Source: parsed page_referrer.
    public var refrUrlfragment: String?

    /// Column 45 `refr_medium`. String, at most 25 characters. Source: referer parser.
    public var refrMedium: String?

    /// Column 46 `refr_source`. String, at most 50 characters. Source: referer parser.
    public var refrSource: String?

    /// Column 47 `refr_term`. String, at most 255 characters. Source: referer parser.
    public var refrTerm: String?

    /// Column 48 `mkt_medium`. String, at most 255 characters. Source: campaign attribution.
    public var mktMedium: String?

    /// Column 49 `mkt_source`. String, at most 255 characters. Source: campaign attribution.
    public var mktSource: String?

    /// Column 50 `mkt_term`. String, at most 255 characters. Source: campaign attribution.
    public var mktTerm: String?

    /// Column 51 `mkt_content`. String, at most 500 characters. Source: campaign attribution.
    public var mktContent: String?

    /// Column 52 `mkt_campaign`. String, at most 255 characters. Source: campaign attribution.
    public var mktCampaign: String?

    /// Column 53 `contexts`. Self-describing JSON text. Source: co / cx.
    public var contexts: String?

    /// Column 54 `se_category`. String, at most 1000 characters. Source: se_ca (ev_ca).
    public var seCategory: String?

    /// Column 55 `se_action`. String, at most 1000 characters. Source: se_ac (ev_ac).
    public var seAction: String?

    /// Column 56 `se_label`. String, at most 4096 characters. Source: se_la (ev_la).
    public var seLabel: String?

    /// Column 57 `se_property`. String, at most 1000 characters. Source: se_pr (ev_pr).
    public var seProperty: String?

    /// Column 58 `se_value`. Exact decimal. Source: se_va (ev_va).
    public var seValue: SnowplowDecimal?

    /// Column 59 `unstruct_event`. Self-describing JSON text. Source: ue_pr / ue_px.
    public var unstructEvent: String?

    /// Column 60 `tr_orderid`. String, at most 255 characters. Source: tr_id.
    public var trOrderid: String?

    /// Column 61 `tr_affiliation`. String, at most 255 characters. Source: tr_af.
    public var trAffiliation: String?

    /// Column 62 `tr_total`. Exact decimal. Source: tr_tt.
    public var trTotal: SnowplowDecimal?

    /// Column 63 `tr_tax`. Exact decimal. Source: tr_tx.
    public var trTax: SnowplowDecimal?

    /// Column 64 `tr_shipping`. Exact decimal. Source: tr_sh.
    public var trShipping: SnowplowDecimal?

    /// Column 65 `tr_city`. String, at most 255 characters. Source: tr_ci.
    public var trCity: String?

    /// Column 66 `tr_state`. String, at most 255 characters. Source: tr_st.
    public var trState: String?

    /// Column 67 `tr_country`. String, at most 255 characters. Source: tr_co.
    public var trCountry: String?

    /// Column 68 `ti_orderid`. String, at most 255 characters. Source: ti_id.
    public var tiOrderid: String?

    /// Column 69 `ti_sku`. String, at most 255 characters. Source: ti_sk.
    public var tiSku: String?

    /// Column 70 `ti_name`. String, at most 255 characters. Source: ti_nm (ti_na).
    public var tiName: String?

    /// Column 71 `ti_category`. String, at most 255 characters. Source: ti_ca.
    public var tiCategory: String?

    /// Column 72 `ti_price`. Exact decimal. Source: ti_pr.
    public var tiPrice: SnowplowDecimal?

    /// Column 73 `ti_quantity`. Integer. Source: ti_qu.
    public var tiQuantity: Int?

    /// Column 74 `pp_xoffset_min`. Integer. Source: pp_mix.
    public var ppXoffsetMin: Int?

    /// Column 75 `pp_xoffset_max`. Integer. Source: pp_max.
    public var ppXoffsetMax: Int?

    /// Column 76 `pp_yoffset_min`. Integer. Source: pp_miy.
    public var ppYoffsetMin: Int?

    /// Column 77 `pp_yoffset_max`. Integer. Source: pp_may.
    public var ppYoffsetMax: Int?

    /// Column 78 `useragent`. String, at most 1000 characters. Source: `ua` param, else User-Agent header.
    public var useragent: String?

    /// Column 79 `br_name`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    public var brName: String?

    /// Column 80 `br_family`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    public var brFamily: String?

    /// Column 81 `br_version`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    public var brVersion: String?

    /// Column 82 `br_type`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    public var brType: String?

    /// Column 83 `br_renderengine`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    public var brRenderengine: String?

    /// Column 84 `br_lang`. String, at most 255 characters. Source: lang.
    public var brLang: String?

    /// Column 85 `br_features_pdf`. Boolean (`1`/`0` in the TSV). Source: f_pdf.
    public var brFeaturesPdf: Bool?

    /// Column 86 `br_features_flash`. Boolean (`1`/`0` in the TSV). Source: f_fla.
    public var brFeaturesFlash: Bool?

    /// Column 87 `br_features_java`. Boolean (`1`/`0` in the TSV). Source: f_java.
    public var brFeaturesJava: Bool?

    /// Column 88 `br_features_director`. Boolean (`1`/`0` in the TSV). Source: f_dir.
    public var brFeaturesDirector: Bool?

    /// Column 89 `br_features_quicktime`. Boolean (`1`/`0` in the TSV). Source: f_qt.
    public var brFeaturesQuicktime: Bool?

    /// Column 90 `br_features_realplayer`. Boolean (`1`/`0` in the TSV). Source: f_realp.
    public var brFeaturesRealplayer: Bool?

    /// Column 91 `br_features_windowsmedia`. Boolean (`1`/`0` in the TSV). Source: f_wma.
    public var brFeaturesWindowsmedia: Bool?

    /// Column 92 `br_features_gears`. Boolean (`1`/`0` in the TSV). Source: f_gears.
    public var brFeaturesGears: Bool?

    /// Column 93 `br_features_silverlight`. Boolean (`1`/`0` in the TSV). Source: f_ag.
    public var brFeaturesSilverlight: Bool?

    /// Column 94 `br_cookies`. Boolean (`1`/`0` in the TSV). Source: cookie.
    public var brCookies: Bool?

    /// Column 95 `br_colordepth`. String, at most 12 characters. Source: cd.
    public var brColordepth: String?

    /// Column 96 `br_viewwidth`. Integer. Source: vp (W).
    public var brViewwidth: Int?

    /// Column 97 `br_viewheight`. Integer. Source: vp (H).
    public var brViewheight: Int?

    /// Column 98 `os_name`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    public var osName: String?

    /// Column 99 `os_family`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    public var osFamily: String?

    /// Column 100 `os_manufacturer`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    public var osManufacturer: String?

    /// Column 101 `os_timezone`. String, at most 255 characters. Source: tz.
    public var osTimezone: String?

    /// Column 102 `dvce_type`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    public var dvceType: String?

    /// Column 103 `dvce_ismobile`. Boolean (`1`/`0` in the TSV). Source: user-agent-utils (deprecated).
    public var dvceIsmobile: Bool?

    /// Column 104 `dvce_screenwidth`. Integer. Source: res (W).
    public var dvceScreenwidth: Int?

    /// Column 105 `dvce_screenheight`. Integer. Source: res (H).
    public var dvceScreenheight: Int?

    /// Column 106 `doc_charset`. String, at most 128 characters. Source: cs.
    public var docCharset: String?

    /// Column 107 `doc_width`. Integer. Source: ds (W).
    public var docWidth: Int?

    /// Column 108 `doc_height`. Integer. Source: ds (H).
    public var docHeight: Int?

    /// Column 109 `tr_currency`. String, at most 3 characters. Source: tr_cu.
    public var trCurrency: String?

    /// Column 110 `tr_total_base`. Exact decimal. Source: currency conversion.
    public var trTotalBase: SnowplowDecimal?

    /// Column 111 `tr_tax_base`. Exact decimal. Source: currency conversion.
    public var trTaxBase: SnowplowDecimal?

    /// Column 112 `tr_shipping_base`. Exact decimal. Source: currency conversion.
    public var trShippingBase: SnowplowDecimal?

    /// Column 113 `ti_currency`. String, at most 3 characters. Source: ti_cu.
    public var tiCurrency: String?

    /// Column 114 `ti_price_base`. Exact decimal. Source: currency conversion.
    public var tiPriceBase: SnowplowDecimal?

    /// Column 115 `base_currency`. String, at most 3 characters. Source: currency conversion.
    public var baseCurrency: String?

    /// Column 116 `geo_timezone`. String, at most 64 characters. Source: IP lookups.
    public var geoTimezone: String?

    /// Column 117 `mkt_clickid`. String, at most 1000 characters (enrich default; schema 128). Source: campaign attribution.
    public var mktClickid: String?

    /// Column 118 `mkt_network`. String, at most 64 characters. Source: campaign attribution.
    public var mktNetwork: String?

    /// Column 119 `etl_tags`. String, at most 500 characters. Source: (unused).
    public var etlTags: String?

    /// Column 120 `dvce_sent_tstamp`. Timestamp (UTC, millisecond precision). Source: stm.
    public var dvceSentTstamp: SnowplowTimestamp?

    /// Column 121 `refr_domain_userid`. String, at most 128 characters. Source: `_sp` in page URL (cross-navigation).
    public var refrDomainUserid: String?

    /// Column 122 `refr_dvce_tstamp`. Timestamp (UTC, millisecond precision). Source: `_sp` in page URL (cross-navigation).
    public var refrDvceTstamp: SnowplowTimestamp?

    /// Column 123 `derived_contexts`. Self-describing JSON text. Source: enrichments.
    public var derivedContexts: String?

    /// Column 124 `domain_sessionid`. String, at most 128 characters. Source: sid.
    public var domainSessionid: String?

    /// Column 125 `derived_tstamp`. Timestamp (UTC, millisecond precision). Source: computed.
    public var derivedTstamp: SnowplowTimestamp?

    /// Column 126 `event_vendor`. String, at most 1000 characters. Source: schema of event.
    public var eventVendor: String?

    /// Column 127 `event_name`. String, at most 1000 characters. Source: schema of event.
    public var eventName: String?

    /// Column 128 `event_format`. String, at most 128 characters. Source: schema of event.
    public var eventFormat: String?

    /// Column 129 `event_version`. String, at most 128 characters. Source: schema of event.
    public var eventVersion: String?

    /// Column 130 `event_fingerprint`. String, at most 128 characters. Source: event fingerprint enrichment.
    public var eventFingerprint: String?

    /// Column 131 `true_tstamp`. Timestamp (UTC, millisecond precision). Source: ttm.
    public var trueTstamp: SnowplowTimestamp?
}
