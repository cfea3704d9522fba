/// Configuration of the IP lookups enrichment, mirroring the `parameters` of Snowplow's
/// `iglu:com.snowplowanalytics.snowplow/ip_lookups/jsonschema/2-0-1` enrichment configuration: any of
/// `geo`, `isp`, `domain`, `connectionType` and `asn`, each naming a MaxMind DB file.
///
/// Snowplow downloads each `database` from its `uri`; Freshet reads it from ``databaseDirectory`` (the
/// project's bootstrap puts GeoLite2-City there with `scripts/fetch-geolite2.sh`). `uri` is kept so a
/// Snowplow configuration file can be used unchanged.
public struct IPLookupsConfiguration: Sendable, Equatable {
    /// One `{ "database": …, "uri": … }` entry.
    public struct DatabaseFile: Sendable, Equatable {
        /// The file name, e.g. `GeoLite2-City.mmdb`.
        public var database: String
        /// Where Snowplow would download it from; informational here. Default: empty.
        public var uri: String

        public init(database: String, uri: String = "") {
            self.database = database
            self.uri = uri
        }
    }

    /// A City (or Country) database: fills the `geo_*` fields. Default: none.
    public var geo: DatabaseFile?
    /// An ISP database: fills `ip_isp` and `ip_organization`, and the ASN entity when ``asn`` is not set.
    /// Default: none.
    public var isp: DatabaseFile?
    /// A Domain database: fills `ip_domain`. Default: none.
    public var domain: DatabaseFile?
    /// A Connection-Type database: fills `ip_netspeed`. Default: none.
    public var connectionType: DatabaseFile?
    /// An ASN database (e.g. GeoLite2-ASN): fills the ASN entity. Default: none.
    public var asn: DatabaseFile?
    /// The folder the database files are read from. Default: `.stack/data/enrichments`.
    public var databaseDirectory: String
    /// Entries in the lookup cache keyed by IP address text; 0 disables it. Default: 20000 (Snowplow's).
    public var cacheSize: Int
    /// Whether each database (and every replacement) is fully verified before use. Default: true.
    public var verifyDatabases: Bool

    public init(
        geo: DatabaseFile? = nil, isp: DatabaseFile? = nil, domain: DatabaseFile? = nil,
        connectionType: DatabaseFile? = nil, asn: DatabaseFile? = nil,
        databaseDirectory: String = ".stack/data/enrichments", cacheSize: Int = 20000, verifyDatabases: Bool = true
    ) {
        self.geo = geo
        self.isp = isp
        self.domain = domain
        self.connectionType = connectionType
        self.asn = asn
        self.databaseDirectory = databaseDirectory
        self.cacheSize = cacheSize
        self.verifyDatabases = verifyDatabases
    }

    /// The local path of `file`.
    public func path(of file: DatabaseFile) -> String {
        if file.database.hasPrefix("/") || databaseDirectory.isEmpty { return file.database }
        return databaseDirectory.hasSuffix("/") ? databaseDirectory + file.database : databaseDirectory + "/" + file.database
    }
}
