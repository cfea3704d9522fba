import Logging
import Shared

/// Snowplow's IP lookups enrichment (reference §3.3 #18): looks the event's IP address up in MaxMind
/// databases and fills the `geo_*`, `ip_isp`, `ip_organization`, `ip_domain`, `ip_netspeed` fields and
/// the ASN entity, as snowplow/enrich does through scala-maxmind-iplookups:
/// - `geo_country` = `country.iso_code`; `geo_region` / `geo_region_name` = the *most specific*
///   subdivision's `iso_code` / `names.en` (Java's `getMostSpecificSubdivision`, i.e. the last one);
///   `geo_city` = `city.names.en`; `geo_zipcode` = `postal.code`; `geo_timezone` = `location.time_zone`;
///   `geo_latitude` / `geo_longitude` = `location.*` as floats, 0 when a found record has no location.
/// - ISP database: `isp`, `organization`; Domain: `domain`; Connection-Type: `connection_type`.
/// - ASN entity `{number, organization}` from `autonomous_system_number` / `autonomous_system_organization`
///   of the ASN database, or of the ISP database when no ASN database is configured.
/// - An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is looked up as IPv4, as Java's `InetAddress` does.
/// - A lookup that fails (address not found, not an IP address, IPv6 in an IPv4-only database) fills
///   nothing. A corrupt database is reported in ``IPLookupsResult/databaseErrors``, never thrown.
///
/// Results are cached by address text (``IPLookupsConfiguration/cacheSize`` entries, least recently used
/// evicted); a database replacement invalidates the cache.
///
/// Memory: a database read from a file (see ``MaxMindDatabase``) holds at most its page cache's 4 MiB
/// of the file; a cache miss reads a 4 KiB page of its private copy with `pread` (from the kernel's page
/// cache, usually). A mapping of the whole file, used before, grew to 40–52 MB of GeoLite2-City in
/// the process's RSS within a few thousand different addresses (kernel fault-around).
///
/// Threading: ``lookup(_:)`` may be called concurrently from any thread; an uncached lookup may read a
/// few pages of the database's private copy (local file I/O, under the page cache's lock).
/// Lifetime: holds its databases; replace them with ``reloadIfChanged()`` or ``watch(every:)``.
public final class IPLookupsEnrichment: Sendable {
    private let geo: MaxMindDatabaseHolder?
    private let isp: MaxMindDatabaseHolder?
    private let domain: MaxMindDatabaseHolder?
    private let connectionType: MaxMindDatabaseHolder?
    private let asn: MaxMindDatabaseHolder?
    private let cache: GeoIPLookupCache<CachedResult>?

    private struct CachedResult: Sendable {
        var generation: Int
        var result: IPLookupsResult
    }

    /// Loads every configured database.
    /// - Throws: `geoip.unreadable_database` / `geoip.invalid_database` when one cannot be used.
    public convenience init(
        configuration: IPLookupsConfiguration, logger: Logger = Logger(label: "freshet.enricher.geoip")
    ) throws {
        func holder(_ file: IPLookupsConfiguration.DatabaseFile?) throws -> MaxMindDatabaseHolder? {
            guard let file else { return nil }
            return try MaxMindDatabaseHolder(path: configuration.path(of: file), verify: configuration.verifyDatabases, logger: logger)
        }
        self.init(
            geo: try holder(configuration.geo), isp: try holder(configuration.isp), domain: try holder(configuration.domain),
            connectionType: try holder(configuration.connectionType), asn: try holder(configuration.asn),
            cacheSize: configuration.cacheSize)
    }

    /// Uses databases already loaded. `cacheSize` 0 disables the cache.
    public init(
        geo: MaxMindDatabaseHolder? = nil, isp: MaxMindDatabaseHolder? = nil, domain: MaxMindDatabaseHolder? = nil,
        connectionType: MaxMindDatabaseHolder? = nil, asn: MaxMindDatabaseHolder? = nil, cacheSize: Int = 20000
    ) {
        self.geo = geo
        self.isp = isp
        self.domain = domain
        self.connectionType = connectionType
        self.asn = asn
        self.cache = cacheSize > 0 ? GeoIPLookupCache(capacity: cacheSize) : nil
    }

    private var holders: [MaxMindDatabaseHolder] {
        [geo, isp, domain, connectionType, asn].compactMap { $0 }
    }

    /// Looks `ipAddress` (as the collector recorded it) up in every configured database.
    public func lookup(_ ipAddress: String) -> IPLookupsResult {
        let geo = self.geo?.snapshot
        let isp = self.isp?.snapshot
        let domain = self.domain?.snapshot
        let connectionType = self.connectionType?.snapshot
        let asn = self.asn?.snapshot
        let generation =
            (geo?.generation ?? 0) + (isp?.generation ?? 0) + (domain?.generation ?? 0)
            + (connectionType?.generation ?? 0) + (asn?.generation ?? 0)
        if let cached = cache?.value(forKey: ipAddress), cached.generation == generation {
            return cached.result
        }
        guard let address = MaxMindAddress(ipAddress)?.unmappingIPv4 else { return IPLookupsResult() }
        var result = IPLookupsResult()
        var errors: [FreshetError] = []
        if let database = geo?.database {
            if let error = Self.attempt({
                guard let record = try database.lookup(address).record else { return }
                try Self.fillLocation(&result, from: record)
            }) { errors.append(error) }
        }
        if let database = isp?.database {
            if let error = Self.attempt({
                guard let record = try database.lookup(address).record else { return }
                let isp = try record.string(at: Paths.isp)
                let organization = try record.string(at: Paths.organization)
                if asn == nil { try Self.fillASN(&result, from: record) }
                result.ipIsp = isp
                result.ipOrganization = organization
            }) { errors.append(error) }
        }
        if let database = domain?.database {
            if let error = Self.attempt({
                result.ipDomain = try database.lookup(address).record?.string(at: Paths.domain)
            }) { errors.append(error) }
        }
        if let database = connectionType?.database {
            if let error = Self.attempt({
                result.ipNetspeed = try database.lookup(address).record?.string(at: Paths.connectionType)
            }) { errors.append(error) }
        }
        if let database = asn?.database {
            if let error = Self.attempt({
                guard let record = try database.lookup(address).record else { return }
                try Self.fillASN(&result, from: record)
            }) { errors.append(error) }
        }
        result.databaseErrors = errors
        cache?.set(CachedResult(generation: generation, result: result), forKey: ipAddress)
        return result
    }

    /// Runs one database's part of a lookup; a corrupt database is recorded, a mismatch is "not found".
    private static func attempt(_ body: () throws -> Void) -> FreshetError? {
        do {
            try body()
            return nil
        } catch let error as FreshetError where error.code == .geoipAddressFamilyMismatch {
            return nil
        } catch let error as FreshetError {
            return error
        } catch {
            return FreshetError(.geoipInvalidDatabase, "\(error)")
        }
    }

    /// Fills the `geo_*` fields from a City record: all of them, or none when the record is corrupt. One
    /// walk over the record's top-level map; only the wanted values are decoded.
    static func fillLocation(_ result: inout IPLookupsResult, from record: MaxMindRecord) throws {
        var country: String?, region: String?, regionName: String?, city: String?, zipcode: String?
        var timezone: String?, latitude: Double?, longitude: Double?
        try record.forEachEntry { key, value in
            if key.equals("country") {
                country = try value.string(at: Paths.isoCode)
            } else if key.equals("city") {
                city = try value.string(at: Paths.englishName)
            } else if key.equals("location") {
                latitude = try value.double(at: Paths.latitudeKey)
                longitude = try value.double(at: Paths.longitudeKey)
                timezone = try value.string(at: Paths.timeZoneKey)
            } else if key.equals("postal") {
                zipcode = try value.string(at: Paths.code)
            } else if key.equals("subdivisions") {
                region = try value.string(at: Paths.lastIsoCode)
                regionName = try value.string(at: Paths.lastEnglishName)
            }
        }
        result.geoCountry = country
        result.geoRegion = region
        result.geoRegionName = regionName
        result.geoCity = city
        result.geoZipcode = zipcode
        result.geoTimezone = timezone
        result.geoLatitude = Float(latitude ?? 0)
        result.geoLongitude = Float(longitude ?? 0)
    }

    /// Fills the ASN from an ASN or ISP record (an ASN beyond the schema's maximum 2^31-1 is dropped).
    static func fillASN(_ result: inout IPLookupsResult, from record: MaxMindRecord) throws {
        guard let number = try record.unsignedInteger(at: Paths.asnNumber), number <= UInt64(Int32.max) else { return }
        let organization = try record.string(at: Paths.asnOrganization)
        result.asnNumber = Int(number)
        result.asnOrganization = organization
    }

    /// The record paths read, built once.
    enum Paths {
        static let isoCode: MaxMindPath = ["iso_code"]
        static let englishName: MaxMindPath = ["names", "en"]
        static let lastIsoCode: MaxMindPath = [-1, "iso_code"]
        static let lastEnglishName: MaxMindPath = [-1, "names", "en"]
        static let code: MaxMindPath = ["code"]
        static let timeZoneKey: MaxMindPath = ["time_zone"]
        static let latitudeKey: MaxMindPath = ["latitude"]
        static let longitudeKey: MaxMindPath = ["longitude"]
        static let isp: MaxMindPath = ["isp"]
        static let organization: MaxMindPath = ["organization"]
        static let domain: MaxMindPath = ["domain"]
        static let connectionType: MaxMindPath = ["connection_type"]
        static let asnNumber: MaxMindPath = ["autonomous_system_number"]
        static let asnOrganization: MaxMindPath = ["autonomous_system_organization"]
    }

    /// Checks every database file and swaps in the changed ones that pass (see
    /// ``MaxMindDatabaseHolder/reloadIfChanged()``). Blocks while loading.
    @discardableResult
    public func reloadIfChanged() -> [MaxMindDatabaseHolder.ReloadOutcome] {
        holders.map { $0.reloadIfChanged() }
    }

    /// Checks every database file every `interval` until the task is cancelled.
    public func watch(every interval: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            for holder in holders {
                group.addTask { await holder.watch(every: interval) }
            }
        }
    }
}
