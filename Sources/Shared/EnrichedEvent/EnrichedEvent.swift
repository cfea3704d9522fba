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
/// A value with copy-on-write storage: the 131 columns (``Columns``, ~2 KB) live in one heap block
/// that copies share until one of them changes a column, as an `Array`'s elements do. The struct itself
/// is one reference, so passing, returning and storing an event moves 8 bytes, not the 131 columns
/// (which `memmove` did ~20 times per event on the enricher's path). `Sendable` like an `Array`: a
/// shared block is never written (the first change copies it).
public struct EnrichedEvent: @unchecked Sendable, Hashable {
    /// An event with every column empty.
    public init() { box = ColumnBox.make(Columns()) }

    /// The columns (shared copy-on-write; see the type's documentation).
    @usableFromInline var box: ColumnBox

    /// Column 1 `app_id`. String, at most 255 characters. Source: aid.
    @inlinable public var appId: String? {
        get { box.columns.pointee.appId }
        _modify {
            makeUnique()
            yield &box.columns.pointee.appId
        }
    }

    /// Column 2 `platform`. String, at most 255 characters. Source: p.
    @inlinable public var platform: String? {
        get { box.columns.pointee.platform }
        _modify {
            makeUnique()
            yield &box.columns.pointee.platform
        }
    }

    /// Column 3 `etl_tstamp`. Timestamp (UTC, millisecond precision). Source: enrich clock.
    @inlinable public var etlTstamp: SnowplowTimestamp? {
        get { box.columns.pointee.etlTstamp }
        _modify {
            makeUnique()
            yield &box.columns.pointee.etlTstamp
        }
    }

    /// Column 4 `collector_tstamp`. Timestamp (UTC, millisecond precision). Source: CollectorPayload.timestamp.
    @inlinable public var collectorTstamp: SnowplowTimestamp? {
        get { box.columns.pointee.collectorTstamp }
        _modify {
            makeUnique()
            yield &box.columns.pointee.collectorTstamp
        }
    }

    /// Column 5 `dvce_created_tstamp`. Timestamp (UTC, millisecond precision). Source: dtm.
    @inlinable public var dvceCreatedTstamp: SnowplowTimestamp? {
        get { box.columns.pointee.dvceCreatedTstamp }
        _modify {
            makeUnique()
            yield &box.columns.pointee.dvceCreatedTstamp
        }
    }

    /// Column 6 `event`. String, at most 128 characters. Source: e.
    @inlinable public var event: String? {
        get { box.columns.pointee.event }
        _modify {
            makeUnique()
            yield &box.columns.pointee.event
        }
    }

    /// Column 7 `event_id`. String, at most 36 characters. Source: eid.
    @inlinable public var eventId: String? {
        get { box.columns.pointee.eventId }
        _modify {
            makeUnique()
            yield &box.columns.pointee.eventId
        }
    }

    /// Column 8 `txn_id`. Integer. Source: tid.
    @inlinable public var txnId: Int? {
        get { box.columns.pointee.txnId }
        _modify {
            makeUnique()
            yield &box.columns.pointee.txnId
        }
    }

    /// Column 9 `name_tracker`. String, at most 128 characters. Source: tna.
    @inlinable public var nameTracker: String? {
        get { box.columns.pointee.nameTracker }
        _modify {
            makeUnique()
            yield &box.columns.pointee.nameTracker
        }
    }

    /// Column 10 `v_tracker`. String, at most 100 characters. Source: tv.
    @inlinable public var vTracker: String? {
        get { box.columns.pointee.vTracker }
        _modify {
            makeUnique()
            yield &box.columns.pointee.vTracker
        }
    }

    /// Column 11 `v_collector`. String, at most 100 characters. Source: collector (or `cv`).
    @inlinable public var vCollector: String? {
        get { box.columns.pointee.vCollector }
        _modify {
            makeUnique()
            yield &box.columns.pointee.vCollector
        }
    }

    /// Column 12 `v_etl`. String, at most 100 characters. Source: enrich version.
    @inlinable public var vEtl: String? {
        get { box.columns.pointee.vEtl }
        _modify {
            makeUnique()
            yield &box.columns.pointee.vEtl
        }
    }

    /// Column 13 `user_id`. String, at most 255 characters. Source: uid.
    @inlinable public var userId: String? {
        get { box.columns.pointee.userId }
        _modify {
            makeUnique()
            yield &box.columns.pointee.userId
        }
    }

    /// Column 14 `user_ipaddress`. String, at most 128 characters. Source: `ip` param, else X-Forwarded-For / Forwarded / collector IP.
    @inlinable public var userIpaddress: String? {
        get { box.columns.pointee.userIpaddress }
        _modify {
            makeUnique()
            yield &box.columns.pointee.userIpaddress
        }
    }

    /// Column 15 `user_fingerprint`. String, at most 128 characters. Source: fp.
    @inlinable public var userFingerprint: String? {
        get { box.columns.pointee.userFingerprint }
        _modify {
            makeUnique()
            yield &box.columns.pointee.userFingerprint
        }
    }

    /// Column 16 `domain_userid`. String, at most 128 characters. Source: duid.
    @inlinable public var domainUserid: String? {
        get { box.columns.pointee.domainUserid }
        _modify {
            makeUnique()
            yield &box.columns.pointee.domainUserid
        }
    }

    /// Column 17 `domain_sessionidx`. Integer. Source: vid.
    @inlinable public var domainSessionidx: Int? {
        get { box.columns.pointee.domainSessionidx }
        _modify {
            makeUnique()
            yield &box.columns.pointee.domainSessionidx
        }
    }

    /// Column 18 `network_userid`. String, at most 128 characters. Source: `tnuid` > `nuid` > collector cookie.
    @inlinable public var networkUserid: String? {
        get { box.columns.pointee.networkUserid }
        _modify {
            makeUnique()
            yield &box.columns.pointee.networkUserid
        }
    }

    /// Column 19 `geo_country`. String, at most 2 characters. Source: IP lookups.
    @inlinable public var geoCountry: String? {
        get { box.columns.pointee.geoCountry }
        _modify {
            makeUnique()
            yield &box.columns.pointee.geoCountry
        }
    }

    /// Column 20 `geo_region`. String, at most 3 characters. Source: IP lookups.
    @inlinable public var geoRegion: String? {
        get { box.columns.pointee.geoRegion }
        _modify {
            makeUnique()
            yield &box.columns.pointee.geoRegion
        }
    }

    /// Column 21 `geo_city`. String, at most 75 characters. Source: IP lookups.
    @inlinable public var geoCity: String? {
        get { box.columns.pointee.geoCity }
        _modify {
            makeUnique()
            yield &box.columns.pointee.geoCity
        }
    }

    /// Column 22 `geo_zipcode`. String, at most 15 characters. Source: IP lookups.
    @inlinable public var geoZipcode: String? {
        get { box.columns.pointee.geoZipcode }
        _modify {
            makeUnique()
            yield &box.columns.pointee.geoZipcode
        }
    }

    /// Column 23 `geo_latitude`. Floating-point number. Source: IP lookups.
    @inlinable public var geoLatitude: Double? {
        get { box.columns.pointee.geoLatitude }
        _modify {
            makeUnique()
            yield &box.columns.pointee.geoLatitude
        }
    }

    /// Column 24 `geo_longitude`. Floating-point number. Source: IP lookups.
    @inlinable public var geoLongitude: Double? {
        get { box.columns.pointee.geoLongitude }
        _modify {
            makeUnique()
            yield &box.columns.pointee.geoLongitude
        }
    }

    /// Column 25 `geo_region_name`. String, at most 100 characters. Source: IP lookups.
    @inlinable public var geoRegionName: String? {
        get { box.columns.pointee.geoRegionName }
        _modify {
            makeUnique()
            yield &box.columns.pointee.geoRegionName
        }
    }

    /// Column 26 `ip_isp`. String, at most 100 characters. Source: IP lookups (ISP db).
    @inlinable public var ipIsp: String? {
        get { box.columns.pointee.ipIsp }
        _modify {
            makeUnique()
            yield &box.columns.pointee.ipIsp
        }
    }

    /// Column 27 `ip_organization`. String, at most 128 characters. Source: IP lookups (ISP db).
    @inlinable public var ipOrganization: String? {
        get { box.columns.pointee.ipOrganization }
        _modify {
            makeUnique()
            yield &box.columns.pointee.ipOrganization
        }
    }

    /// Column 28 `ip_domain`. String, at most 128 characters. Source: IP lookups (domain db).
    @inlinable public var ipDomain: String? {
        get { box.columns.pointee.ipDomain }
        _modify {
            makeUnique()
            yield &box.columns.pointee.ipDomain
        }
    }

    /// Column 29 `ip_netspeed`. String, at most 100 characters. Source: IP lookups (connection-type db).
    @inlinable public var ipNetspeed: String? {
        get { box.columns.pointee.ipNetspeed }
        _modify {
            makeUnique()
            yield &box.columns.pointee.ipNetspeed
        }
    }

    /// Column 30 `page_url`. String, at most 10000 characters (enrich default; schema 4096). Source: url (else Referer header).
    @inlinable public var pageUrl: String? {
        get { box.columns.pointee.pageUrl }
        _modify {
            makeUnique()
            yield &box.columns.pointee.pageUrl
        }
    }

    /// Column 31 `page_title`. String, at most 2000 characters. Source: page.
    @inlinable public var pageTitle: String? {
        get { box.columns.pointee.pageTitle }
        _modify {
            makeUnique()
            yield &box.columns.pointee.pageTitle
        }
    }

    /// Column 32 `page_referrer`. String, at most 10000 characters (enrich default; schema 4096). Source: refr.
    @inlinable public var pageReferrer: String? {
        get { box.columns.pointee.pageReferrer }
        _modify {
            makeUnique()
            yield &box.columns.pointee.pageReferrer
        }
    }

    /// Column 33 `page_urlscheme`. String, at most 16 characters. Source: parsed page_url.
    @inlinable public var pageUrlscheme: String? {
        get { box.columns.pointee.pageUrlscheme }
        _modify {
            makeUnique()
            yield &box.columns.pointee.pageUrlscheme
        }
    }

    /// Column 34 `page_urlhost`. String, at most 255 characters. Source: parsed page_url.
    @inlinable public var pageUrlhost: String? {
        get { box.columns.pointee.pageUrlhost }
        _modify {
            makeUnique()
            yield &box.columns.pointee.pageUrlhost
        }
    }

    /// Column 35 `page_urlport`. Integer. Source: parsed page_url.
    @inlinable public var pageUrlport: Int? {
        get { box.columns.pointee.pageUrlport }
        _modify {
            makeUnique()
            yield &box.columns.pointee.pageUrlport
        }
    }

    /// Column 36 `page_urlpath`. String, at most 3000 characters. Source: parsed page_url.
    @inlinable public var pageUrlpath: String? {
        get { box.columns.pointee.pageUrlpath }
        _modify {
            makeUnique()
            yield &box.columns.pointee.pageUrlpath
        }
    }

    /// Column 37 `page_urlquery`. String, at most 6000 characters. Source: parsed page_url.
    @inlinable public var pageUrlquery: String? {
        get { box.columns.pointee.pageUrlquery }
        _modify {
            makeUnique()
            yield &box.columns.pointee.pageUrlquery
        }
    }

    /// Column 38 `page_urlfragment`. String, at most 3000 characters. Source: parsed page_url.
    @inlinable public var pageUrlfragment: String? {
        get { box.columns.pointee.pageUrlfragment }
        _modify {
            makeUnique()
            yield &box.columns.pointee.pageUrlfragment
        }
    }

    /// Column 39 `refr_urlscheme`. String, at most 16 characters. Source: parsed page_referrer.
    @inlinable public var refrUrlscheme: String? {
        get { box.columns.pointee.refrUrlscheme }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrUrlscheme
        }
    }

    /// Column 40 `refr_urlhost`. String, at most 255 characters. Source: parsed page_referrer.
    @inlinable public var refrUrlhost: String? {
        get { box.columns.pointee.refrUrlhost }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrUrlhost
        }
    }

    /// Column 41 `refr_urlport`. Integer. Source: parsed page_referrer.
    @inlinable public var refrUrlport: Int? {
        get { box.columns.pointee.refrUrlport }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrUrlport
        }
    }

    /// Column 42 `refr_urlpath`. String, at most 6000 characters. Source: parsed page_referrer.
    @inlinable public var refrUrlpath: String? {
        get { box.columns.pointee.refrUrlpath }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrUrlpath
        }
    }

    /// Column 43 `refr_urlquery`. String, at most 6000 characters. Source: parsed page_referrer.
    @inlinable public var refrUrlquery: String? {
        get { box.columns.pointee.refrUrlquery }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrUrlquery
        }
    }

    /// Column 44 `refr_urlfragment`. String, at most 3000 characters. Source: parsed page_referrer.
    @inlinable public var refrUrlfragment: String? {
        get { box.columns.pointee.refrUrlfragment }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrUrlfragment
        }
    }

    /// Column 45 `refr_medium`. String, at most 25 characters. Source: referer parser.
    @inlinable public var refrMedium: String? {
        get { box.columns.pointee.refrMedium }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrMedium
        }
    }

    /// Column 46 `refr_source`. String, at most 50 characters. Source: referer parser.
    @inlinable public var refrSource: String? {
        get { box.columns.pointee.refrSource }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrSource
        }
    }

    /// Column 47 `refr_term`. String, at most 255 characters. Source: referer parser.
    @inlinable public var refrTerm: String? {
        get { box.columns.pointee.refrTerm }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrTerm
        }
    }

    /// Column 48 `mkt_medium`. String, at most 255 characters. Source: campaign attribution.
    @inlinable public var mktMedium: String? {
        get { box.columns.pointee.mktMedium }
        _modify {
            makeUnique()
            yield &box.columns.pointee.mktMedium
        }
    }

    /// Column 49 `mkt_source`. String, at most 255 characters. Source: campaign attribution.
    @inlinable public var mktSource: String? {
        get { box.columns.pointee.mktSource }
        _modify {
            makeUnique()
            yield &box.columns.pointee.mktSource
        }
    }

    /// Column 50 `mkt_term`. String, at most 255 characters. Source: campaign attribution.
    @inlinable public var mktTerm: String? {
        get { box.columns.pointee.mktTerm }
        _modify {
            makeUnique()
            yield &box.columns.pointee.mktTerm
        }
    }

    /// Column 51 `mkt_content`. String, at most 500 characters. Source: campaign attribution.
    @inlinable public var mktContent: String? {
        get { box.columns.pointee.mktContent }
        _modify {
            makeUnique()
            yield &box.columns.pointee.mktContent
        }
    }

    /// Column 52 `mkt_campaign`. String, at most 255 characters. Source: campaign attribution.
    @inlinable public var mktCampaign: String? {
        get { box.columns.pointee.mktCampaign }
        _modify {
            makeUnique()
            yield &box.columns.pointee.mktCampaign
        }
    }

    /// Column 53 `contexts`. Self-describing JSON text. Source: co / cx.
    @inlinable public var contexts: String? {
        get { box.columns.pointee.contexts }
        _modify {
            makeUnique()
            yield &box.columns.pointee.contexts
        }
    }

    /// Column 54 `se_category`. String, at most 1000 characters. Source: se_ca (ev_ca).
    @inlinable public var seCategory: String? {
        get { box.columns.pointee.seCategory }
        _modify {
            makeUnique()
            yield &box.columns.pointee.seCategory
        }
    }

    /// Column 55 `se_action`. String, at most 1000 characters. Source: se_ac (ev_ac).
    @inlinable public var seAction: String? {
        get { box.columns.pointee.seAction }
        _modify {
            makeUnique()
            yield &box.columns.pointee.seAction
        }
    }

    /// Column 56 `se_label`. String, at most 4096 characters. Source: se_la (ev_la).
    @inlinable public var seLabel: String? {
        get { box.columns.pointee.seLabel }
        _modify {
            makeUnique()
            yield &box.columns.pointee.seLabel
        }
    }

    /// Column 57 `se_property`. String, at most 1000 characters. Source: se_pr (ev_pr).
    @inlinable public var seProperty: String? {
        get { box.columns.pointee.seProperty }
        _modify {
            makeUnique()
            yield &box.columns.pointee.seProperty
        }
    }

    /// Column 58 `se_value`. Exact decimal. Source: se_va (ev_va).
    @inlinable public var seValue: SnowplowDecimal? {
        get { box.columns.pointee.seValue }
        _modify {
            makeUnique()
            yield &box.columns.pointee.seValue
        }
    }

    /// Column 59 `unstruct_event`. Self-describing JSON text. Source: ue_pr / ue_px.
    @inlinable public var unstructEvent: String? {
        get { box.columns.pointee.unstructEvent }
        _modify {
            makeUnique()
            yield &box.columns.pointee.unstructEvent
        }
    }

    /// Column 60 `tr_orderid`. String, at most 255 characters. Source: tr_id.
    @inlinable public var trOrderid: String? {
        get { box.columns.pointee.trOrderid }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trOrderid
        }
    }

    /// Column 61 `tr_affiliation`. String, at most 255 characters. Source: tr_af.
    @inlinable public var trAffiliation: String? {
        get { box.columns.pointee.trAffiliation }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trAffiliation
        }
    }

    /// Column 62 `tr_total`. Exact decimal. Source: tr_tt.
    @inlinable public var trTotal: SnowplowDecimal? {
        get { box.columns.pointee.trTotal }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trTotal
        }
    }

    /// Column 63 `tr_tax`. Exact decimal. Source: tr_tx.
    @inlinable public var trTax: SnowplowDecimal? {
        get { box.columns.pointee.trTax }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trTax
        }
    }

    /// Column 64 `tr_shipping`. Exact decimal. Source: tr_sh.
    @inlinable public var trShipping: SnowplowDecimal? {
        get { box.columns.pointee.trShipping }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trShipping
        }
    }

    /// Column 65 `tr_city`. String, at most 255 characters. Source: tr_ci.
    @inlinable public var trCity: String? {
        get { box.columns.pointee.trCity }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trCity
        }
    }

    /// Column 66 `tr_state`. String, at most 255 characters. Source: tr_st.
    @inlinable public var trState: String? {
        get { box.columns.pointee.trState }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trState
        }
    }

    /// Column 67 `tr_country`. String, at most 255 characters. Source: tr_co.
    @inlinable public var trCountry: String? {
        get { box.columns.pointee.trCountry }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trCountry
        }
    }

    /// Column 68 `ti_orderid`. String, at most 255 characters. Source: ti_id.
    @inlinable public var tiOrderid: String? {
        get { box.columns.pointee.tiOrderid }
        _modify {
            makeUnique()
            yield &box.columns.pointee.tiOrderid
        }
    }

    /// Column 69 `ti_sku`. String, at most 255 characters. Source: ti_sk.
    @inlinable public var tiSku: String? {
        get { box.columns.pointee.tiSku }
        _modify {
            makeUnique()
            yield &box.columns.pointee.tiSku
        }
    }

    /// Column 70 `ti_name`. String, at most 255 characters. Source: ti_nm (ti_na).
    @inlinable public var tiName: String? {
        get { box.columns.pointee.tiName }
        _modify {
            makeUnique()
            yield &box.columns.pointee.tiName
        }
    }

    /// Column 71 `ti_category`. String, at most 255 characters. Source: ti_ca.
    @inlinable public var tiCategory: String? {
        get { box.columns.pointee.tiCategory }
        _modify {
            makeUnique()
            yield &box.columns.pointee.tiCategory
        }
    }

    /// Column 72 `ti_price`. Exact decimal. Source: ti_pr.
    @inlinable public var tiPrice: SnowplowDecimal? {
        get { box.columns.pointee.tiPrice }
        _modify {
            makeUnique()
            yield &box.columns.pointee.tiPrice
        }
    }

    /// Column 73 `ti_quantity`. Integer. Source: ti_qu.
    @inlinable public var tiQuantity: Int? {
        get { box.columns.pointee.tiQuantity }
        _modify {
            makeUnique()
            yield &box.columns.pointee.tiQuantity
        }
    }

    /// Column 74 `pp_xoffset_min`. Integer. Source: pp_mix.
    @inlinable public var ppXoffsetMin: Int? {
        get { box.columns.pointee.ppXoffsetMin }
        _modify {
            makeUnique()
            yield &box.columns.pointee.ppXoffsetMin
        }
    }

    /// Column 75 `pp_xoffset_max`. Integer. Source: pp_max.
    @inlinable public var ppXoffsetMax: Int? {
        get { box.columns.pointee.ppXoffsetMax }
        _modify {
            makeUnique()
            yield &box.columns.pointee.ppXoffsetMax
        }
    }

    /// Column 76 `pp_yoffset_min`. Integer. Source: pp_miy.
    @inlinable public var ppYoffsetMin: Int? {
        get { box.columns.pointee.ppYoffsetMin }
        _modify {
            makeUnique()
            yield &box.columns.pointee.ppYoffsetMin
        }
    }

    /// Column 77 `pp_yoffset_max`. Integer. Source: pp_may.
    @inlinable public var ppYoffsetMax: Int? {
        get { box.columns.pointee.ppYoffsetMax }
        _modify {
            makeUnique()
            yield &box.columns.pointee.ppYoffsetMax
        }
    }

    /// Column 78 `useragent`. String, at most 1000 characters. Source: `ua` param, else User-Agent header.
    @inlinable public var useragent: String? {
        get { box.columns.pointee.useragent }
        _modify {
            makeUnique()
            yield &box.columns.pointee.useragent
        }
    }

    /// Column 79 `br_name`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    @inlinable public var brName: String? {
        get { box.columns.pointee.brName }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brName
        }
    }

    /// Column 80 `br_family`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    @inlinable public var brFamily: String? {
        get { box.columns.pointee.brFamily }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFamily
        }
    }

    /// Column 81 `br_version`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    @inlinable public var brVersion: String? {
        get { box.columns.pointee.brVersion }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brVersion
        }
    }

    /// Column 82 `br_type`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    @inlinable public var brType: String? {
        get { box.columns.pointee.brType }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brType
        }
    }

    /// Column 83 `br_renderengine`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    @inlinable public var brRenderengine: String? {
        get { box.columns.pointee.brRenderengine }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brRenderengine
        }
    }

    /// Column 84 `br_lang`. String, at most 255 characters. Source: lang.
    @inlinable public var brLang: String? {
        get { box.columns.pointee.brLang }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brLang
        }
    }

    /// Column 85 `br_features_pdf`. Boolean (`1`/`0` in the TSV). Source: f_pdf.
    @inlinable public var brFeaturesPdf: Bool? {
        get { box.columns.pointee.brFeaturesPdf }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFeaturesPdf
        }
    }

    /// Column 86 `br_features_flash`. Boolean (`1`/`0` in the TSV). Source: f_fla.
    @inlinable public var brFeaturesFlash: Bool? {
        get { box.columns.pointee.brFeaturesFlash }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFeaturesFlash
        }
    }

    /// Column 87 `br_features_java`. Boolean (`1`/`0` in the TSV). Source: f_java.
    @inlinable public var brFeaturesJava: Bool? {
        get { box.columns.pointee.brFeaturesJava }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFeaturesJava
        }
    }

    /// Column 88 `br_features_director`. Boolean (`1`/`0` in the TSV). Source: f_dir.
    @inlinable public var brFeaturesDirector: Bool? {
        get { box.columns.pointee.brFeaturesDirector }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFeaturesDirector
        }
    }

    /// Column 89 `br_features_quicktime`. Boolean (`1`/`0` in the TSV). Source: f_qt.
    @inlinable public var brFeaturesQuicktime: Bool? {
        get { box.columns.pointee.brFeaturesQuicktime }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFeaturesQuicktime
        }
    }

    /// Column 90 `br_features_realplayer`. Boolean (`1`/`0` in the TSV). Source: f_realp.
    @inlinable public var brFeaturesRealplayer: Bool? {
        get { box.columns.pointee.brFeaturesRealplayer }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFeaturesRealplayer
        }
    }

    /// Column 91 `br_features_windowsmedia`. Boolean (`1`/`0` in the TSV). Source: f_wma.
    @inlinable public var brFeaturesWindowsmedia: Bool? {
        get { box.columns.pointee.brFeaturesWindowsmedia }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFeaturesWindowsmedia
        }
    }

    /// Column 92 `br_features_gears`. Boolean (`1`/`0` in the TSV). Source: f_gears.
    @inlinable public var brFeaturesGears: Bool? {
        get { box.columns.pointee.brFeaturesGears }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFeaturesGears
        }
    }

    /// Column 93 `br_features_silverlight`. Boolean (`1`/`0` in the TSV). Source: f_ag.
    @inlinable public var brFeaturesSilverlight: Bool? {
        get { box.columns.pointee.brFeaturesSilverlight }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brFeaturesSilverlight
        }
    }

    /// Column 94 `br_cookies`. Boolean (`1`/`0` in the TSV). Source: cookie.
    @inlinable public var brCookies: Bool? {
        get { box.columns.pointee.brCookies }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brCookies
        }
    }

    /// Column 95 `br_colordepth`. String, at most 12 characters. Source: cd.
    @inlinable public var brColordepth: String? {
        get { box.columns.pointee.brColordepth }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brColordepth
        }
    }

    /// Column 96 `br_viewwidth`. Integer. Source: vp (W).
    @inlinable public var brViewwidth: Int? {
        get { box.columns.pointee.brViewwidth }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brViewwidth
        }
    }

    /// Column 97 `br_viewheight`. Integer. Source: vp (H).
    @inlinable public var brViewheight: Int? {
        get { box.columns.pointee.brViewheight }
        _modify {
            makeUnique()
            yield &box.columns.pointee.brViewheight
        }
    }

    /// Column 98 `os_name`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    @inlinable public var osName: String? {
        get { box.columns.pointee.osName }
        _modify {
            makeUnique()
            yield &box.columns.pointee.osName
        }
    }

    /// Column 99 `os_family`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    @inlinable public var osFamily: String? {
        get { box.columns.pointee.osFamily }
        _modify {
            makeUnique()
            yield &box.columns.pointee.osFamily
        }
    }

    /// Column 100 `os_manufacturer`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    @inlinable public var osManufacturer: String? {
        get { box.columns.pointee.osManufacturer }
        _modify {
            makeUnique()
            yield &box.columns.pointee.osManufacturer
        }
    }

    /// Column 101 `os_timezone`. String, at most 255 characters. Source: tz.
    @inlinable public var osTimezone: String? {
        get { box.columns.pointee.osTimezone }
        _modify {
            makeUnique()
            yield &box.columns.pointee.osTimezone
        }
    }

    /// Column 102 `dvce_type`. String, at most 50 characters. Source: user-agent-utils (deprecated).
    @inlinable public var dvceType: String? {
        get { box.columns.pointee.dvceType }
        _modify {
            makeUnique()
            yield &box.columns.pointee.dvceType
        }
    }

    /// Column 103 `dvce_ismobile`. Boolean (`1`/`0` in the TSV). Source: user-agent-utils (deprecated).
    @inlinable public var dvceIsmobile: Bool? {
        get { box.columns.pointee.dvceIsmobile }
        _modify {
            makeUnique()
            yield &box.columns.pointee.dvceIsmobile
        }
    }

    /// Column 104 `dvce_screenwidth`. Integer. Source: res (W).
    @inlinable public var dvceScreenwidth: Int? {
        get { box.columns.pointee.dvceScreenwidth }
        _modify {
            makeUnique()
            yield &box.columns.pointee.dvceScreenwidth
        }
    }

    /// Column 105 `dvce_screenheight`. Integer. Source: res (H).
    @inlinable public var dvceScreenheight: Int? {
        get { box.columns.pointee.dvceScreenheight }
        _modify {
            makeUnique()
            yield &box.columns.pointee.dvceScreenheight
        }
    }

    /// Column 106 `doc_charset`. String, at most 128 characters. Source: cs.
    @inlinable public var docCharset: String? {
        get { box.columns.pointee.docCharset }
        _modify {
            makeUnique()
            yield &box.columns.pointee.docCharset
        }
    }

    /// Column 107 `doc_width`. Integer. Source: ds (W).
    @inlinable public var docWidth: Int? {
        get { box.columns.pointee.docWidth }
        _modify {
            makeUnique()
            yield &box.columns.pointee.docWidth
        }
    }

    /// Column 108 `doc_height`. Integer. Source: ds (H).
    @inlinable public var docHeight: Int? {
        get { box.columns.pointee.docHeight }
        _modify {
            makeUnique()
            yield &box.columns.pointee.docHeight
        }
    }

    /// Column 109 `tr_currency`. String, at most 3 characters. Source: tr_cu.
    @inlinable public var trCurrency: String? {
        get { box.columns.pointee.trCurrency }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trCurrency
        }
    }

    /// Column 110 `tr_total_base`. Exact decimal. Source: currency conversion.
    @inlinable public var trTotalBase: SnowplowDecimal? {
        get { box.columns.pointee.trTotalBase }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trTotalBase
        }
    }

    /// Column 111 `tr_tax_base`. Exact decimal. Source: currency conversion.
    @inlinable public var trTaxBase: SnowplowDecimal? {
        get { box.columns.pointee.trTaxBase }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trTaxBase
        }
    }

    /// Column 112 `tr_shipping_base`. Exact decimal. Source: currency conversion.
    @inlinable public var trShippingBase: SnowplowDecimal? {
        get { box.columns.pointee.trShippingBase }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trShippingBase
        }
    }

    /// Column 113 `ti_currency`. String, at most 3 characters. Source: ti_cu.
    @inlinable public var tiCurrency: String? {
        get { box.columns.pointee.tiCurrency }
        _modify {
            makeUnique()
            yield &box.columns.pointee.tiCurrency
        }
    }

    /// Column 114 `ti_price_base`. Exact decimal. Source: currency conversion.
    @inlinable public var tiPriceBase: SnowplowDecimal? {
        get { box.columns.pointee.tiPriceBase }
        _modify {
            makeUnique()
            yield &box.columns.pointee.tiPriceBase
        }
    }

    /// Column 115 `base_currency`. String, at most 3 characters. Source: currency conversion.
    @inlinable public var baseCurrency: String? {
        get { box.columns.pointee.baseCurrency }
        _modify {
            makeUnique()
            yield &box.columns.pointee.baseCurrency
        }
    }

    /// Column 116 `geo_timezone`. String, at most 64 characters. Source: IP lookups.
    @inlinable public var geoTimezone: String? {
        get { box.columns.pointee.geoTimezone }
        _modify {
            makeUnique()
            yield &box.columns.pointee.geoTimezone
        }
    }

    /// Column 117 `mkt_clickid`. String, at most 1000 characters (enrich default; schema 128). Source: campaign attribution.
    @inlinable public var mktClickid: String? {
        get { box.columns.pointee.mktClickid }
        _modify {
            makeUnique()
            yield &box.columns.pointee.mktClickid
        }
    }

    /// Column 118 `mkt_network`. String, at most 64 characters. Source: campaign attribution.
    @inlinable public var mktNetwork: String? {
        get { box.columns.pointee.mktNetwork }
        _modify {
            makeUnique()
            yield &box.columns.pointee.mktNetwork
        }
    }

    /// Column 119 `etl_tags`. String, at most 500 characters. Source: (unused).
    @inlinable public var etlTags: String? {
        get { box.columns.pointee.etlTags }
        _modify {
            makeUnique()
            yield &box.columns.pointee.etlTags
        }
    }

    /// Column 120 `dvce_sent_tstamp`. Timestamp (UTC, millisecond precision). Source: stm.
    @inlinable public var dvceSentTstamp: SnowplowTimestamp? {
        get { box.columns.pointee.dvceSentTstamp }
        _modify {
            makeUnique()
            yield &box.columns.pointee.dvceSentTstamp
        }
    }

    /// Column 121 `refr_domain_userid`. String, at most 128 characters. Source: `_sp` in page URL (cross-navigation).
    @inlinable public var refrDomainUserid: String? {
        get { box.columns.pointee.refrDomainUserid }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrDomainUserid
        }
    }

    /// Column 122 `refr_dvce_tstamp`. Timestamp (UTC, millisecond precision). Source: `_sp` in page URL (cross-navigation).
    @inlinable public var refrDvceTstamp: SnowplowTimestamp? {
        get { box.columns.pointee.refrDvceTstamp }
        _modify {
            makeUnique()
            yield &box.columns.pointee.refrDvceTstamp
        }
    }

    /// Column 123 `derived_contexts`. Self-describing JSON text. Source: enrichments.
    @inlinable public var derivedContexts: String? {
        get { box.columns.pointee.derivedContexts }
        _modify {
            makeUnique()
            yield &box.columns.pointee.derivedContexts
        }
    }

    /// Column 124 `domain_sessionid`. String, at most 128 characters. Source: sid.
    @inlinable public var domainSessionid: String? {
        get { box.columns.pointee.domainSessionid }
        _modify {
            makeUnique()
            yield &box.columns.pointee.domainSessionid
        }
    }

    /// Column 125 `derived_tstamp`. Timestamp (UTC, millisecond precision). Source: computed.
    @inlinable public var derivedTstamp: SnowplowTimestamp? {
        get { box.columns.pointee.derivedTstamp }
        _modify {
            makeUnique()
            yield &box.columns.pointee.derivedTstamp
        }
    }

    /// Column 126 `event_vendor`. String, at most 1000 characters. Source: schema of event.
    @inlinable public var eventVendor: String? {
        get { box.columns.pointee.eventVendor }
        _modify {
            makeUnique()
            yield &box.columns.pointee.eventVendor
        }
    }

    /// Column 127 `event_name`. String, at most 1000 characters. Source: schema of event.
    @inlinable public var eventName: String? {
        get { box.columns.pointee.eventName }
        _modify {
            makeUnique()
            yield &box.columns.pointee.eventName
        }
    }

    /// Column 128 `event_format`. String, at most 128 characters. Source: schema of event.
    @inlinable public var eventFormat: String? {
        get { box.columns.pointee.eventFormat }
        _modify {
            makeUnique()
            yield &box.columns.pointee.eventFormat
        }
    }

    /// Column 129 `event_version`. String, at most 128 characters. Source: schema of event.
    @inlinable public var eventVersion: String? {
        get { box.columns.pointee.eventVersion }
        _modify {
            makeUnique()
            yield &box.columns.pointee.eventVersion
        }
    }

    /// Column 130 `event_fingerprint`. String, at most 128 characters. Source: event fingerprint enrichment.
    @inlinable public var eventFingerprint: String? {
        get { box.columns.pointee.eventFingerprint }
        _modify {
            makeUnique()
            yield &box.columns.pointee.eventFingerprint
        }
    }

    /// Column 131 `true_tstamp`. Timestamp (UTC, millisecond precision). Source: ttm.
    @inlinable public var trueTstamp: SnowplowTimestamp? {
        get { box.columns.pointee.trueTstamp }
        _modify {
            makeUnique()
            yield &box.columns.pointee.trueTstamp
        }
    }

    /// The 131 stored columns in TSV order, under the accessors' names: the layout the codecs read and
    /// write by offset (``EnrichedEventField``).
    @usableFromInline struct Columns: Hashable {
        @usableFromInline init() {}
        @usableFromInline var appId: String?
        @usableFromInline var platform: String?
        @usableFromInline var etlTstamp: SnowplowTimestamp?
        @usableFromInline var collectorTstamp: SnowplowTimestamp?
        @usableFromInline var dvceCreatedTstamp: SnowplowTimestamp?
        @usableFromInline var event: String?
        @usableFromInline var eventId: String?
        @usableFromInline var txnId: Int?
        @usableFromInline var nameTracker: String?
        @usableFromInline var vTracker: String?
        @usableFromInline var vCollector: String?
        @usableFromInline var vEtl: String?
        @usableFromInline var userId: String?
        @usableFromInline var userIpaddress: String?
        @usableFromInline var userFingerprint: String?
        @usableFromInline var domainUserid: String?
        @usableFromInline var domainSessionidx: Int?
        @usableFromInline var networkUserid: String?
        @usableFromInline var geoCountry: String?
        @usableFromInline var geoRegion: String?
        @usableFromInline var geoCity: String?
        @usableFromInline var geoZipcode: String?
        @usableFromInline var geoLatitude: Double?
        @usableFromInline var geoLongitude: Double?
        @usableFromInline var geoRegionName: String?
        @usableFromInline var ipIsp: String?
        @usableFromInline var ipOrganization: String?
        @usableFromInline var ipDomain: String?
        @usableFromInline var ipNetspeed: String?
        @usableFromInline var pageUrl: String?
        @usableFromInline var pageTitle: String?
        @usableFromInline var pageReferrer: String?
        @usableFromInline var pageUrlscheme: String?
        @usableFromInline var pageUrlhost: String?
        @usableFromInline var pageUrlport: Int?
        @usableFromInline var pageUrlpath: String?
        @usableFromInline var pageUrlquery: String?
        @usableFromInline var pageUrlfragment: String?
        @usableFromInline var refrUrlscheme: String?
        @usableFromInline var refrUrlhost: String?
        @usableFromInline var refrUrlport: Int?
        @usableFromInline var refrUrlpath: String?
        @usableFromInline var refrUrlquery: String?
        @usableFromInline var refrUrlfragment: String?
        @usableFromInline var refrMedium: String?
        @usableFromInline var refrSource: String?
        @usableFromInline var refrTerm: String?
        @usableFromInline var mktMedium: String?
        @usableFromInline var mktSource: String?
        @usableFromInline var mktTerm: String?
        @usableFromInline var mktContent: String?
        @usableFromInline var mktCampaign: String?
        @usableFromInline var contexts: String?
        @usableFromInline var seCategory: String?
        @usableFromInline var seAction: String?
        @usableFromInline var seLabel: String?
        @usableFromInline var seProperty: String?
        @usableFromInline var seValue: SnowplowDecimal?
        @usableFromInline var unstructEvent: String?
        @usableFromInline var trOrderid: String?
        @usableFromInline var trAffiliation: String?
        @usableFromInline var trTotal: SnowplowDecimal?
        @usableFromInline var trTax: SnowplowDecimal?
        @usableFromInline var trShipping: SnowplowDecimal?
        @usableFromInline var trCity: String?
        @usableFromInline var trState: String?
        @usableFromInline var trCountry: String?
        @usableFromInline var tiOrderid: String?
        @usableFromInline var tiSku: String?
        @usableFromInline var tiName: String?
        @usableFromInline var tiCategory: String?
        @usableFromInline var tiPrice: SnowplowDecimal?
        @usableFromInline var tiQuantity: Int?
        @usableFromInline var ppXoffsetMin: Int?
        @usableFromInline var ppXoffsetMax: Int?
        @usableFromInline var ppYoffsetMin: Int?
        @usableFromInline var ppYoffsetMax: Int?
        @usableFromInline var useragent: String?
        @usableFromInline var brName: String?
        @usableFromInline var brFamily: String?
        @usableFromInline var brVersion: String?
        @usableFromInline var brType: String?
        @usableFromInline var brRenderengine: String?
        @usableFromInline var brLang: String?
        @usableFromInline var brFeaturesPdf: Bool?
        @usableFromInline var brFeaturesFlash: Bool?
        @usableFromInline var brFeaturesJava: Bool?
        @usableFromInline var brFeaturesDirector: Bool?
        @usableFromInline var brFeaturesQuicktime: Bool?
        @usableFromInline var brFeaturesRealplayer: Bool?
        @usableFromInline var brFeaturesWindowsmedia: Bool?
        @usableFromInline var brFeaturesGears: Bool?
        @usableFromInline var brFeaturesSilverlight: Bool?
        @usableFromInline var brCookies: Bool?
        @usableFromInline var brColordepth: String?
        @usableFromInline var brViewwidth: Int?
        @usableFromInline var brViewheight: Int?
        @usableFromInline var osName: String?
        @usableFromInline var osFamily: String?
        @usableFromInline var osManufacturer: String?
        @usableFromInline var osTimezone: String?
        @usableFromInline var dvceType: String?
        @usableFromInline var dvceIsmobile: Bool?
        @usableFromInline var dvceScreenwidth: Int?
        @usableFromInline var dvceScreenheight: Int?
        @usableFromInline var docCharset: String?
        @usableFromInline var docWidth: Int?
        @usableFromInline var docHeight: Int?
        @usableFromInline var trCurrency: String?
        @usableFromInline var trTotalBase: SnowplowDecimal?
        @usableFromInline var trTaxBase: SnowplowDecimal?
        @usableFromInline var trShippingBase: SnowplowDecimal?
        @usableFromInline var tiCurrency: String?
        @usableFromInline var tiPriceBase: SnowplowDecimal?
        @usableFromInline var baseCurrency: String?
        @usableFromInline var geoTimezone: String?
        @usableFromInline var mktClickid: String?
        @usableFromInline var mktNetwork: String?
        @usableFromInline var etlTags: String?
        @usableFromInline var dvceSentTstamp: SnowplowTimestamp?
        @usableFromInline var refrDomainUserid: String?
        @usableFromInline var refrDvceTstamp: SnowplowTimestamp?
        @usableFromInline var derivedContexts: String?
        @usableFromInline var domainSessionid: String?
        @usableFromInline var derivedTstamp: SnowplowTimestamp?
        @usableFromInline var eventVendor: String?
        @usableFromInline var eventName: String?
        @usableFromInline var eventFormat: String?
        @usableFromInline var eventVersion: String?
        @usableFromInline var eventFingerprint: String?
        @usableFromInline var trueTstamp: SnowplowTimestamp?
    }

    /// The heap block holding one event's ``Columns`` (a `ManagedBuffer` with the columns as its one
    /// element: one allocation per event).
    @usableFromInline final class ColumnBox: ManagedBuffer<Void, Columns> {
        @inlinable static func make(_ columns: Columns) -> ColumnBox {
            let buffer = ColumnBox.create(minimumCapacity: 1) { _ in () }
            buffer.withUnsafeMutablePointerToElements { $0.initialize(to: columns) }
            return unsafeDowncast(buffer, to: ColumnBox.self)
        }

        /// The columns' address, valid while this block lives.
        @inlinable var columns: UnsafeMutablePointer<Columns> { withUnsafeMutablePointerToElements { $0 } }

        deinit { _ = withUnsafeMutablePointerToElements { $0.deinitialize(count: 1) } }
    }

    /// Gives this event a block of its own before a column changes (copy-on-write).
    @inlinable mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&box) { box = ColumnBox.make(box.columns.pointee) }
    }

    /// Calls `body` with the address of the columns, for reading by ``EnrichedEventField`` offset; the
    /// address is valid only inside `body`.
    @inlinable func withColumns<Result>(_ body: (UnsafeRawPointer) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(box) { try body(UnsafeRawPointer(box.columns)) }
    }

    /// Like ``withColumns(_:)``, for writing: the event gets a block of its own first.
    @inlinable mutating func withMutableColumns<Result>(_ body: (UnsafeMutableRawPointer) throws -> Result) rethrows -> Result {
        makeUnique()
        return try withExtendedLifetime(box) { try body(UnsafeMutableRawPointer(box.columns)) }
    }

    public static func == (lhs: EnrichedEvent, rhs: EnrichedEvent) -> Bool {
        lhs.box === rhs.box || lhs.box.columns.pointee == rhs.box.columns.pointee
    }

    public func hash(into hasher: inout Hasher) { box.columns.pointee.hash(into: &hasher) }
}
