import Shared

/// What the IP lookups enrichment found for one IP address: the atomic fields it fills (Snowplow column
/// names in the comments) and the ASN entity. A field is `nil` when its database is not configured, the
/// address is not in it, or the record lacks the value; Snowplow swallows lookup failures the same way.
public struct IPLookupsResult: Sendable {
    /// The ASN entity's schema.
    public static let asnSchema = "iglu:com.snowplowanalytics.snowplow/asn/jsonschema/1-0-1"

    /// `geo_country`: the country's ISO 3166-1 alpha-2 code.
    public var geoCountry: String?
    /// `geo_region`: the ISO 3166-2 code (without country) of the most specific subdivision.
    public var geoRegion: String?
    /// `geo_city`: the city's English name.
    public var geoCity: String?
    /// `geo_zipcode`: the postal code.
    public var geoZipcode: String?
    /// `geo_latitude`, as Snowplow stores it (a float; 0 when the record has no location).
    public var geoLatitude: Float? { didSet { geoLatitudeColumn = geoLatitude.map(Self.columnValue) } }
    /// `geo_longitude`, as Snowplow stores it (a float; 0 when the record has no location).
    public var geoLongitude: Float? { didSet { geoLongitudeColumn = geoLongitude.map(Self.columnValue) } }
    /// ``geoLatitude`` as the enriched event's `Double` column holds it (see ``columnValue(_:)``),
    /// converted once per lookup rather than per event (results are cached by address).
    public private(set) var geoLatitudeColumn: Double?
    /// ``geoLongitude`` as the enriched event's `Double` column holds it.
    public private(set) var geoLongitudeColumn: Double?

    /// The float's shortest decimal text read as a `Double` (so `51.5142` stays `51.5142`, not the
    /// float's exact binary value).
    static func columnValue(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }
    /// `geo_region_name`: the English name of the most specific subdivision.
    public var geoRegionName: String?
    /// `geo_timezone`: the IANA time zone, e.g. `Europe/London`.
    public var geoTimezone: String?
    /// `ip_isp` (ISP database).
    public var ipIsp: String?
    /// `ip_organization` (ISP database).
    public var ipOrganization: String?
    /// `ip_domain` (Domain database).
    public var ipDomain: String?
    /// `ip_netspeed`: the connection type, e.g. `Cable/DSL` (Connection-Type database).
    public var ipNetspeed: String?
    /// The autonomous system number (ASN database, or the ISP database when no ASN database is set).
    public var asnNumber: Int?
    /// The autonomous system's organization.
    public var asnOrganization: String?
    /// Errors from a corrupt database met during this lookup (the fields it would have filled stay
    /// `nil`). "Not found" and unparseable addresses are not errors. Log or count these.
    public var databaseErrors: [FreshetError] = []

    public init() {}

    /// The atomic fields this result sets, as (column name, TSV text), in enriched-TSV column order.
    public var atomicFields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        func add(_ name: String, _ value: String?) {
            if let value { fields.append((name, value)) }
        }
        add("geo_country", geoCountry)
        add("geo_region", geoRegion)
        add("geo_city", geoCity)
        add("geo_zipcode", geoZipcode)
        add("geo_latitude", geoLatitude.map { "\($0)" })
        add("geo_longitude", geoLongitude.map { "\($0)" })
        add("geo_region_name", geoRegionName)
        add("ip_isp", ipIsp)
        add("ip_organization", ipOrganization)
        add("ip_domain", ipDomain)
        add("ip_netspeed", ipNetspeed)
        add("geo_timezone", geoTimezone)
        return fields
    }

    /// The ASN entity `{"number": …, "organization": …}` (organization left out when unknown), or `nil`
    /// when no ASN was found.
    public var asnEntity: (schema: String, dataJSON: String)? {
        guard let asnNumber else { return nil }
        var json = "{\"number\":\(asnNumber)"
        if let asnOrganization {
            json += ",\"organization\":"
            appendJSONString(asnOrganization, to: &json)
        }
        json += "}"
        return (Self.asnSchema, json)
    }

    /// The entities this result adds to `derived_contexts`.
    public var entities: [(schema: String, dataJSON: String)] {
        asnEntity.map { [$0] } ?? []
    }
}

/// Appends `text` as a JSON string literal (RFC 8259 escaping).
private func appendJSONString(_ text: String, to json: inout String) {
    json += "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": json += "\\\""
        case "\\": json += "\\\\"
        case "\n": json += "\\n"
        case "\r": json += "\\r"
        case "\t": json += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: json.unicodeScalars.append(scalar)
        }
    }
    json += "\""
}
