/// The type of one enriched-event column, as the TSV writes it.
public enum EnrichedEventFieldType: String, Sendable, Hashable, CaseIterable {
    /// Free text (TSV-safe: tabs become four spaces, other control characters are dropped).
    case string
    /// A signed integer in decimal digits.
    case integer
    /// A floating-point number (`geo_latitude`, `geo_longitude`).
    case double
    /// An exact decimal in plain notation (``SnowplowDecimal``).
    case decimal
    /// `1` or `0`.
    case boolean
    /// `yyyy-MM-dd HH:mm:ss.SSS` in UTC (``SnowplowTimestamp``).
    case timestamp
    /// A self-describing JSON document as text (`contexts`, `unstruct_event`, `derived_contexts`).
    case json
}

/// One column of the enriched event: its position, Snowplow name, type and length limit, and the
/// property of ``EnrichedEvent`` that holds it.
///
/// ``all`` is the single authoritative table of the 131 columns in TSV order; the TSV codec, the JSON
/// renderings, bad-row payloads and (later) the ClickHouse schema and length validation iterate it.
/// Immutable and `Sendable`.
public struct EnrichedEventField: Sendable, Hashable, CustomStringConvertible {
    /// Zero-based column index in the TSV (column 1 of the Snowplow docs is index 0).
    public let index: Int
    /// The Snowplow column name, e.g. `app_id`.
    public let name: String
    /// The maximum length of a string column in characters: the `atomic` schema's `maxLength`, or
    /// enrich's default `atomicFieldsLimits` where that differs (`page_url`, `page_referrer` 10000,
    /// `mkt_clickid` 1000). `nil` for non-string columns.
    public let maxLength: Int?
    /// The column's type.
    public let type: EnrichedEventFieldType
    /// Byte offset of the column's stored property within the event's columns
    /// (`EnrichedEvent.Columns`); the property has type `Optional<T>` where `T` is fixed by ``type``
    /// (see ``EnrichedEventFieldType``). Used by the codecs for direct access: key paths and closures
    /// both copied the 131-property struct on every access, which made the TSV codec ten times slower.
    let offset: Int

    /// The property of ``EnrichedEvent`` behind a column, typed: fixes both the column type and the
    /// Swift type the codecs read at ``offset``.
    enum Storage: Sendable {
        case string(WritableKeyPath<EnrichedEvent.Columns, String?> & Sendable)
        case integer(WritableKeyPath<EnrichedEvent.Columns, Int?> & Sendable)
        case double(WritableKeyPath<EnrichedEvent.Columns, Double?> & Sendable)
        case decimal(WritableKeyPath<EnrichedEvent.Columns, SnowplowDecimal?> & Sendable)
        case boolean(WritableKeyPath<EnrichedEvent.Columns, Bool?> & Sendable)
        case timestamp(WritableKeyPath<EnrichedEvent.Columns, SnowplowTimestamp?> & Sendable)
        case json(WritableKeyPath<EnrichedEvent.Columns, String?> & Sendable)

        var type: EnrichedEventFieldType {
            switch self {
            case .string: .string
            case .integer: .integer
            case .double: .double
            case .decimal: .decimal
            case .boolean: .boolean
            case .timestamp: .timestamp
            case .json: .json
            }
        }

        /// The stored property's offset; stops the program if the table names a computed property
        /// (a programming error the unit tests catch on first run).
        var offset: Int {
            let offset: Int? =
                switch self {
                case .string(let keyPath), .json(let keyPath): MemoryLayout<EnrichedEvent.Columns>.offset(of: keyPath)
                case .integer(let keyPath): MemoryLayout<EnrichedEvent.Columns>.offset(of: keyPath)
                case .double(let keyPath): MemoryLayout<EnrichedEvent.Columns>.offset(of: keyPath)
                case .decimal(let keyPath): MemoryLayout<EnrichedEvent.Columns>.offset(of: keyPath)
                case .boolean(let keyPath): MemoryLayout<EnrichedEvent.Columns>.offset(of: keyPath)
                case .timestamp(let keyPath): MemoryLayout<EnrichedEvent.Columns>.offset(of: keyPath)
                }
            guard let offset else { preconditionFailure("EnrichedEventField table names a non-stored property") }
            return offset
        }
    }

    /// One-based column number as in the Snowplow documentation.
    public var number: Int { index + 1 }

    public var description: String { "column \(number) (\(name))" }

    public static func == (lhs: EnrichedEventField, rhs: EnrichedEventField) -> Bool { lhs.index == rhs.index }
    public func hash(into hasher: inout Hasher) { hasher.combine(index) }

    /// The field named `name` (Snowplow spelling), or `nil`.
    public static func named(_ name: String) -> EnrichedEventField? {
        byName[name]
    }

    private static let byName: [String: EnrichedEventField] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The number of columns in an enriched TSV line.
    public static let count = 131

    /// A table row before it knows its position.
    struct Row: Sendable {
        let name: String
        let storage: Storage
        let maxLength: Int?
        init(_ name: String, _ storage: Storage, maxLength: Int? = nil) {
            self.name = name
            self.storage = storage
            self.maxLength = maxLength
        }
    }

    /// All 131 columns in TSV order.
    public static let all: [EnrichedEventField] = rows.enumerated().map { index, row in
        EnrichedEventField(
            index: index, name: row.name, maxLength: row.maxLength, type: row.storage.type, offset: row.storage.offset)
    }

    /// The table itself: Snowplow name, property and length limit, in TSV order
    /// (`/work/shared/reference/snowplow.md` §3.7).
    private static let rows: [Row] = [
        .init("app_id", .string(\.appId), maxLength: 255),
        .init("platform", .string(\.platform), maxLength: 255),
        .init("etl_tstamp", .timestamp(\.etlTstamp)),
        .init("collector_tstamp", .timestamp(\.collectorTstamp)),
        .init("dvce_created_tstamp", .timestamp(\.dvceCreatedTstamp)),
        .init("event", .string(\.event), maxLength: 128),
        .init("event_id", .string(\.eventId), maxLength: 36),
        .init("txn_id", .integer(\.txnId)),
        .init("name_tracker", .string(\.nameTracker), maxLength: 128),
        .init("v_tracker", .string(\.vTracker), maxLength: 100),
        .init("v_collector", .string(\.vCollector), maxLength: 100),
        .init("v_etl", .string(\.vEtl), maxLength: 100),
        .init("user_id", .string(\.userId), maxLength: 255),
        .init("user_ipaddress", .string(\.userIpaddress), maxLength: 128),
        .init("user_fingerprint", .string(\.userFingerprint), maxLength: 128),
        .init("domain_userid", .string(\.domainUserid), maxLength: 128),
        .init("domain_sessionidx", .integer(\.domainSessionidx)),
        .init("network_userid", .string(\.networkUserid), maxLength: 128),
        .init("geo_country", .string(\.geoCountry), maxLength: 2),
        .init("geo_region", .string(\.geoRegion), maxLength: 3),
        .init("geo_city", .string(\.geoCity), maxLength: 75),
        .init("geo_zipcode", .string(\.geoZipcode), maxLength: 15),
        .init("geo_latitude", .double(\.geoLatitude)),
        .init("geo_longitude", .double(\.geoLongitude)),
        .init("geo_region_name", .string(\.geoRegionName), maxLength: 100),
        .init("ip_isp", .string(\.ipIsp), maxLength: 100),
        .init("ip_organization", .string(\.ipOrganization), maxLength: 128),
        .init("ip_domain", .string(\.ipDomain), maxLength: 128),
        .init("ip_netspeed", .string(\.ipNetspeed), maxLength: 100),
        .init("page_url", .string(\.pageUrl), maxLength: 10000),
        .init("page_title", .string(\.pageTitle), maxLength: 2000),
        .init("page_referrer", .string(\.pageReferrer), maxLength: 10000),
        .init("page_urlscheme", .string(\.pageUrlscheme), maxLength: 16),
        .init("page_urlhost", .string(\.pageUrlhost), maxLength: 255),
        .init("page_urlport", .integer(\.pageUrlport)),
        .init("page_urlpath", .string(\.pageUrlpath), maxLength: 3000),
        .init("page_urlquery", .string(\.pageUrlquery), maxLength: 6000),
        .init("page_urlfragment", .string(\.pageUrlfragment), maxLength: 3000),
        .init("refr_urlscheme", .string(\.refrUrlscheme), maxLength: 16),
        .init("refr_urlhost", .string(\.refrUrlhost), maxLength: 255),
        .init("refr_urlport", .integer(\.refrUrlport)),
        .init("refr_urlpath", .string(\.refrUrlpath), maxLength: 6000),
        .init("refr_urlquery", .string(\.refrUrlquery), maxLength: 6000),
        .init("refr_urlfragment", .string(\.refrUrlfragment), maxLength: 3000),
        .init("refr_medium", .string(\.refrMedium), maxLength: 25),
        .init("refr_source", .string(\.refrSource), maxLength: 50),
        .init("refr_term", .string(\.refrTerm), maxLength: 255),
        .init("mkt_medium", .string(\.mktMedium), maxLength: 255),
        .init("mkt_source", .string(\.mktSource), maxLength: 255),
        .init("mkt_term", .string(\.mktTerm), maxLength: 255),
        .init("mkt_content", .string(\.mktContent), maxLength: 500),
        .init("mkt_campaign", .string(\.mktCampaign), maxLength: 255),
        .init("contexts", .json(\.contexts)),
        .init("se_category", .string(\.seCategory), maxLength: 1000),
        .init("se_action", .string(\.seAction), maxLength: 1000),
        .init("se_label", .string(\.seLabel), maxLength: 4096),
        .init("se_property", .string(\.seProperty), maxLength: 1000),
        .init("se_value", .decimal(\.seValue)),
        .init("unstruct_event", .json(\.unstructEvent)),
        .init("tr_orderid", .string(\.trOrderid), maxLength: 255),
        .init("tr_affiliation", .string(\.trAffiliation), maxLength: 255),
        .init("tr_total", .decimal(\.trTotal)),
        .init("tr_tax", .decimal(\.trTax)),
        .init("tr_shipping", .decimal(\.trShipping)),
        .init("tr_city", .string(\.trCity), maxLength: 255),
        .init("tr_state", .string(\.trState), maxLength: 255),
        .init("tr_country", .string(\.trCountry), maxLength: 255),
        .init("ti_orderid", .string(\.tiOrderid), maxLength: 255),
        .init("ti_sku", .string(\.tiSku), maxLength: 255),
        .init("ti_name", .string(\.tiName), maxLength: 255),
        .init("ti_category", .string(\.tiCategory), maxLength: 255),
        .init("ti_price", .decimal(\.tiPrice)),
        .init("ti_quantity", .integer(\.tiQuantity)),
        .init("pp_xoffset_min", .integer(\.ppXoffsetMin)),
        .init("pp_xoffset_max", .integer(\.ppXoffsetMax)),
        .init("pp_yoffset_min", .integer(\.ppYoffsetMin)),
        .init("pp_yoffset_max", .integer(\.ppYoffsetMax)),
        .init("useragent", .string(\.useragent), maxLength: 1000),
        .init("br_name", .string(\.brName), maxLength: 50),
        .init("br_family", .string(\.brFamily), maxLength: 50),
        .init("br_version", .string(\.brVersion), maxLength: 50),
        .init("br_type", .string(\.brType), maxLength: 50),
        .init("br_renderengine", .string(\.brRenderengine), maxLength: 50),
        .init("br_lang", .string(\.brLang), maxLength: 255),
        .init("br_features_pdf", .boolean(\.brFeaturesPdf)),
        .init("br_features_flash", .boolean(\.brFeaturesFlash)),
        .init("br_features_java", .boolean(\.brFeaturesJava)),
        .init("br_features_director", .boolean(\.brFeaturesDirector)),
        .init("br_features_quicktime", .boolean(\.brFeaturesQuicktime)),
        .init("br_features_realplayer", .boolean(\.brFeaturesRealplayer)),
        .init("br_features_windowsmedia", .boolean(\.brFeaturesWindowsmedia)),
        .init("br_features_gears", .boolean(\.brFeaturesGears)),
        .init("br_features_silverlight", .boolean(\.brFeaturesSilverlight)),
        .init("br_cookies", .boolean(\.brCookies)),
        .init("br_colordepth", .string(\.brColordepth), maxLength: 12),
        .init("br_viewwidth", .integer(\.brViewwidth)),
        .init("br_viewheight", .integer(\.brViewheight)),
        .init("os_name", .string(\.osName), maxLength: 50),
        .init("os_family", .string(\.osFamily), maxLength: 50),
        .init("os_manufacturer", .string(\.osManufacturer), maxLength: 50),
        .init("os_timezone", .string(\.osTimezone), maxLength: 255),
        .init("dvce_type", .string(\.dvceType), maxLength: 50),
        .init("dvce_ismobile", .boolean(\.dvceIsmobile)),
        .init("dvce_screenwidth", .integer(\.dvceScreenwidth)),
        .init("dvce_screenheight", .integer(\.dvceScreenheight)),
        .init("doc_charset", .string(\.docCharset), maxLength: 128),
        .init("doc_width", .integer(\.docWidth)),
        .init("doc_height", .integer(\.docHeight)),
        .init("tr_currency", .string(\.trCurrency), maxLength: 3),
        .init("tr_total_base", .decimal(\.trTotalBase)),
        .init("tr_tax_base", .decimal(\.trTaxBase)),
        .init("tr_shipping_base", .decimal(\.trShippingBase)),
        .init("ti_currency", .string(\.tiCurrency), maxLength: 3),
        .init("ti_price_base", .decimal(\.tiPriceBase)),
        .init("base_currency", .string(\.baseCurrency), maxLength: 3),
        .init("geo_timezone", .string(\.geoTimezone), maxLength: 64),
        .init("mkt_clickid", .string(\.mktClickid), maxLength: 1000),
        .init("mkt_network", .string(\.mktNetwork), maxLength: 64),
        .init("etl_tags", .string(\.etlTags), maxLength: 500),
        .init("dvce_sent_tstamp", .timestamp(\.dvceSentTstamp)),
        .init("refr_domain_userid", .string(\.refrDomainUserid), maxLength: 128),
        .init("refr_dvce_tstamp", .timestamp(\.refrDvceTstamp)),
        .init("derived_contexts", .json(\.derivedContexts)),
        .init("domain_sessionid", .string(\.domainSessionid), maxLength: 128),
        .init("derived_tstamp", .timestamp(\.derivedTstamp)),
        .init("event_vendor", .string(\.eventVendor), maxLength: 1000),
        .init("event_name", .string(\.eventName), maxLength: 1000),
        .init("event_format", .string(\.eventFormat), maxLength: 128),
        .init("event_version", .string(\.eventVersion), maxLength: 128),
        .init("event_fingerprint", .string(\.eventFingerprint), maxLength: 128),
        .init("true_tstamp", .timestamp(\.trueTstamp)),
    ]
}

// MARK: Direct access for the codecs

extension EnrichedEventField {
    /// The type and offset of one column, without the name: what the hot loops iterate.
    struct Layout: Sendable {
        let type: EnrichedEventFieldType
        let offset: Int
    }

    /// ``all`` reduced to ``Layout`` (plain values, nothing to retain while iterating).
    static let layout: [Layout] = all.map { Layout(type: $0.type, offset: $0.offset) }
}

extension EnrichedEventField.Layout {
    /// The column's value in the event at `event`. `T` must be the Swift type of ``type``
    /// (`String` for `.string`/`.json`, `Int`, `Double`, `SnowplowDecimal`, `Bool`,
    /// `SnowplowTimestamp`); callers switch on ``type`` first.
    @inline(__always)
    func read<T>(_: T.Type, from event: UnsafeRawPointer) -> T? {
        assert(EnrichedEventField.swiftType(of: type) == T.self)
        return (event + offset).assumingMemoryBound(to: T?.self).pointee
    }

    /// Stores `value` into the column of the event at `event`; same rule for `T` as ``read(_:from:)``.
    @inline(__always)
    func write<T>(_ value: T?, to event: UnsafeMutableRawPointer) {
        assert(EnrichedEventField.swiftType(of: type) == T.self)
        (event + offset).assumingMemoryBound(to: T?.self).pointee = value
    }
}

extension EnrichedEventField {
    /// The column's value in `event`, typed by ``type``.
    func read<T>(_: T.Type, from event: UnsafeRawPointer) -> T? {
        EnrichedEventField.Layout(type: type, offset: offset).read(T.self, from: event)
    }

    /// The Swift type of a column type's values.
    static func swiftType(of type: EnrichedEventFieldType) -> Any.Type {
        switch type {
        case .string, .json: String.self
        case .integer: Int.self
        case .double: Double.self
        case .decimal: SnowplowDecimal.self
        case .boolean: Bool.self
        case .timestamp: SnowplowTimestamp.self
        }
    }
}
