import Foundation
import Logging
import Shared
import Testing

@testable import Enricher

/// The IP lookups enrichment on MaxMind's test databases; expected values come from their source JSON.
@Suite("IP lookups enrichment", .enabled(if: MaxMindFixtures.available, "\(MaxMindFixtures.absentMessage)"))
struct GeoIPLookupsTests {
    static func holder(_ name: String) throws -> MaxMindDatabaseHolder {
        try MaxMindDatabaseHolder(path: MaxMindFixtures.testData(name))
    }

    @Test("a City record fills the geo_* fields as Snowplow does (most specific subdivision, English names)")
    func cityFields() throws {
        let enrichment = IPLookupsEnrichment(geo: try Self.holder("GeoIP2-City-Test.mmdb"))
        // source-data: ::2.125.160.216/125 → GB, subdivisions [England ENG, West Berkshire WBK], Boxford, OX1.
        let result = enrichment.lookup("2.125.160.218")
        #expect(result.geoCountry == "GB")
        #expect(result.geoRegion == "WBK")
        #expect(result.geoRegionName == "West Berkshire")
        #expect(result.geoCity == "Boxford")
        #expect(result.geoZipcode == "OX1")
        #expect(result.geoLatitude == 51.75)
        #expect(result.geoLongitude == -1.25)
        #expect(result.geoTimezone == "Europe/London")
        #expect(result.databaseErrors.isEmpty)
        #expect(result.atomicFields.map(\.name) == [
            "geo_country", "geo_region", "geo_city", "geo_zipcode", "geo_latitude", "geo_longitude", "geo_region_name", "geo_timezone",
        ])
        #expect(result.atomicFields.first { $0.name == "geo_longitude" }?.value == "-1.25")
        #expect(result.entities.isEmpty)
    }

    @Test("a record without a city or subdivision fills only what it has; lat/long as stored")
    func partialRecord() throws {
        let enrichment = IPLookupsEnrichment(geo: try Self.holder("GeoIP2-City-Test.mmdb"))
        // source-data: 2001:218::/32 → JP, location 35.68536 / 139.75309, Asia/Tokyo, no city/subdivision/postal.
        let result = enrichment.lookup("2001:218::1")
        #expect(result.geoCountry == "JP")
        #expect(result.geoCity == nil && result.geoRegion == nil && result.geoRegionName == nil && result.geoZipcode == nil)
        #expect(result.geoLatitude == Float(35.68536))
        #expect(result.geoLongitude == Float(139.75309))
        #expect(result.geoTimezone == "Asia/Tokyo")
    }

    @Test("lookup failures fill nothing and are not errors", arguments: [
        "not an ip", "", "10.0.0.1", "::1", "1.2.3", "2001:db8::1", "example.com",
    ])
    func failures(_ address: String) throws {
        let enrichment = IPLookupsEnrichment(
            geo: try Self.holder("GeoIP2-City-Test.mmdb"), asn: try Self.holder("GeoLite2-ASN-Test.mmdb"))
        let result = enrichment.lookup(address)
        #expect(result.atomicFields.isEmpty)
        #expect(result.entities.isEmpty)
        #expect(result.databaseErrors.isEmpty)
    }

    @Test("an IPv6 address in an IPv4-only database is not found; an IPv4-mapped one is looked up as IPv4")
    func addressFamilies() throws {
        let ipv4Only = try Self.holder("MaxMind-DB-test-ipv4-24.mmdb")
        #expect(throws: FreshetError.self) { try ipv4Only.database.lookup(MaxMindAddress("::1.1.1.1")!) }
        let enrichment = IPLookupsEnrichment(geo: try Self.holder("GeoIP2-City-Test.mmdb"), cacheSize: 0)
        let mapped = enrichment.lookup("::ffff:2.125.160.216")
        let plain = enrichment.lookup("2.125.160.216")
        #expect(plain.geoCity == "Boxford")
        #expect(mapped.atomicFields.map(\.value) == plain.atomicFields.map(\.value))
    }

    @Test("the ASN database gives the asn entity {number, organization}")
    func asnEntity() throws {
        let enrichment = IPLookupsEnrichment(asn: try Self.holder("GeoLite2-ASN-Test.mmdb"))
        // source-data: 1.128.0.0/11 → 1221 "Telstra Pty Ltd"; 12.81.96.0/19 → 7018 without organization.
        let telstra = enrichment.lookup("1.128.0.1")
        #expect(telstra.entities.count == 1)
        #expect(telstra.asnEntity?.schema == "iglu:com.snowplowanalytics.snowplow/asn/jsonschema/1-0-1")
        #expect(telstra.asnEntity?.dataJSON == #"{"number":1221,"organization":"Telstra Pty Ltd"}"#)
        #expect(telstra.atomicFields.isEmpty)
        #expect(enrichment.lookup("12.81.96.1").asnEntity?.dataJSON == #"{"number":7018}"#)
        // The entity is valid JSON with the schema's field names and types.
        let json = try JSONSerialization.jsonObject(with: Data(telstra.asnEntity!.dataJSON.utf8)) as? [String: Any]
        #expect(json?["number"] as? Int == 1221)
        #expect(json?["organization"] as? String == "Telstra Pty Ltd")
    }

    @Test("the ISP database fills ip_isp and ip_organization, and the ASN when no ASN database is set")
    func ispFields() throws {
        let enrichment = IPLookupsEnrichment(isp: try Self.holder("GeoIP2-ISP-Test.mmdb"))
        let result = enrichment.lookup("149.101.100.1")
        #expect(result.ipIsp == "Verizon Wireless")
        #expect(result.ipOrganization == "Verizon Wireless")
        #expect(result.asnEntity?.dataJSON == #"{"number":6167,"organization":"CELLCO-PART"}"#)
        #expect(result.atomicFields.map(\.name) == ["ip_isp", "ip_organization"])
    }

    @Test("all databases together, from a configuration")
    func fromConfiguration() throws {
        let configuration = IPLookupsConfiguration(
            geo: .init(database: "GeoIP2-City-Test.mmdb", uri: "http://snowplow-hosted-assets.s3.amazonaws.com/third-party/maxmind"),
            isp: .init(database: "GeoIP2-ISP-Test.mmdb"), asn: .init(database: "GeoLite2-ASN-Test.mmdb"),
            databaseDirectory: MaxMindFixtures.directory!.appendingPathComponent("test-data").path)
        let enrichment = try IPLookupsEnrichment(configuration: configuration)
        let result = enrichment.lookup("2.125.160.216")
        #expect(result.geoCountry == "GB")
        let missing = IPLookupsConfiguration(geo: .init(database: "nope.mmdb"), databaseDirectory: "/nonexistent")
        #expect { try IPLookupsEnrichment(configuration: missing) } throws: { error in
            (error as? FreshetError)?.code == .geoipUnreadableDatabase && "\(error)".contains("/nonexistent/nope.mmdb")
        }
        let corrupt = IPLookupsConfiguration(
            geo: .init(database: "libmaxminddb/libmaxminddb-deep-nesting.mmdb"),
            databaseDirectory: MaxMindFixtures.directory!.appendingPathComponent("bad-data").path)
        #expect { try IPLookupsEnrichment(configuration: corrupt) } throws: { error in
            (error as? FreshetError)?.code == .geoipInvalidDatabase
        }
    }

    @Test("the registry loads ip_lookups beside the other enrichments: the step is there, a corrupt database still fails start-up")
    func fromTheRegistry() throws {
        func configurations(_ database: String) throws -> [EnrichmentConfiguration] {
            let texts = [
                #"{"schema":"iglu:com.snowplowanalytics.snowplow/ip_lookups/jsonschema/2-0-0","data":{"name":"ip_lookups","vendor":"com.snowplowanalytics.snowplow","enabled":true,"parameters":{"geo":{"database":"\#(database)","uri":"http://x"}}}}"#,
                #"{"schema":"iglu:com.snowplowanalytics.snowplow/anon_ip/jsonschema/1-0-1","data":{"name":"anon_ip","vendor":"com.snowplowanalytics.snowplow","enabled":true,"parameters":{"anonOctets":1}}}"#,
            ]
            return try texts.map { try EnrichmentConfiguration(json: try JSONParser().parse($0).get(), source: "test.json") }
        }
        let pipeline = try EnrichmentRegistry.pipeline(
            configurations: try configurations("GeoIP2-City-Test.mmdb"),
            assetsDirectory: MaxMindFixtures.directory!.appendingPathComponent("test-data").path, logger: Logger(label: "test"))
        let steps = pipeline.steps.map(\.step)
        #expect(steps.contains(.ipLookups) && steps.contains(.anonymizeIP))
        #expect(steps.map(\.rawValue) == steps.map(\.rawValue).sorted())
        #expect {
            try EnrichmentRegistry.pipeline(
                configurations: try configurations("libmaxminddb/libmaxminddb-deep-nesting.mmdb"),
                assetsDirectory: MaxMindFixtures.directory!.appendingPathComponent("bad-data").path, logger: Logger(label: "test"))
        } throws: { error in
            (error as? FreshetError)?.code == .geoipInvalidDatabase
        }
    }

    @Test("a corrupt record is reported in databaseErrors, not thrown, and fills nothing")
    func corruptRecord() throws {
        // The broken-pointers database has a record whose pointer leads outside the data section.
        let holder = try MaxMindDatabaseHolder(path: MaxMindFixtures.testData("MaxMind-DB-test-broken-pointers-24.mmdb"), verify: false)
        let enrichment = IPLookupsEnrichment(geo: holder, cacheSize: 0)
        var sawError = false
        for last in 0..<64 {
            let result = enrichment.lookup("1.1.1.\(last)")
            if !result.databaseErrors.isEmpty {
                sawError = true
                #expect(result.databaseErrors.allSatisfy { $0.code == .geoipInvalidDatabase })
                #expect(result.atomicFields.isEmpty)
            }
        }
        #expect(sawError)
    }

    @Test("results are cached by address text and the cache serves equal results")
    func caching() throws {
        let enrichment = IPLookupsEnrichment(geo: try Self.holder("GeoIP2-City-Test.mmdb"), cacheSize: 2)
        let first = enrichment.lookup("2.125.160.216")
        let again = enrichment.lookup("2.125.160.216")
        #expect(first.atomicFields.map(\.value) == again.atomicFields.map(\.value))
        for address in ["81.2.69.142", "2001:218::1", "2.125.160.216", "89.160.20.112"] {
            let uncached = IPLookupsEnrichment(geo: try Self.holder("GeoIP2-City-Test.mmdb"), cacheSize: 0).lookup(address)
            #expect(enrichment.lookup(address).atomicFields.map(\.value) == uncached.atomicFields.map(\.value))
        }
    }

    @Test(
        "lookup speed (benchmark, FRESHET_BENCHMARK=1, use -c release)",
        .enabled(if: ProcessInfo.processInfo.environment["FRESHET_BENCHMARK"] == "1", "set FRESHET_BENCHMARK=1 to run"))
    func benchmark() throws {
        guard let path = MaxMindFixtures.geoLite2CityPath else { return }
        let started = ContinuousClock.now
        let holder = try MaxMindDatabaseHolder(path: path, verify: true)
        print("GeoLite2-City load + verify: \(ContinuousClock.now - started)")
        var generator = MaxMindFuzzGenerator(seed: 7)
        let addresses = (0..<100_000).map { _ in MaxMindAddress(ipv4: UInt32(truncatingIfNeeded: generator.next())).description }
        let parsed = addresses.map { MaxMindAddress($0)! }
        let database = holder.database
        var t = ContinuousClock.now
        var hits = 0
        for address in parsed where try database.lookup(address).record != nil { hits += 1 }
        print("GeoLite2-City tree walk only: \((ContinuousClock.now - t) / parsed.count) (\(hits))")
        t = ContinuousClock.now
        var decoded = 0
        for address in parsed { if let record = try database.lookup(address).record { var r = IPLookupsResult(); try IPLookupsEnrichment.fillLocation(&r, from: record); decoded += r.geoCountry == nil ? 0 : 1 } }
        print("GeoLite2-City tree walk + geo_* fields: \((ContinuousClock.now - t) / parsed.count) (\(decoded))")
        t = ContinuousClock.now
        for address in parsed { if let record = try database.lookup(address).record { _ = try record.decode() } }
        print("GeoLite2-City tree walk + full record decode: \((ContinuousClock.now - t) / parsed.count)")
        let uncached = IPLookupsEnrichment(geo: holder, cacheSize: 0)
        var found = 0
        let clock = ContinuousClock.now
        for address in addresses where uncached.lookup(address).geoCountry != nil { found += 1 }
        let elapsed = ContinuousClock.now - clock
        print("GeoLite2-City uncached lookup + geo_* fields: \(elapsed / addresses.count) per address (\(found) found)")
        let cached = IPLookupsEnrichment(geo: holder, cacheSize: 20_000)
        let hot = Array(addresses.prefix(10_000))
        for address in hot { _ = cached.lookup(address) }
        let cachedStart = ContinuousClock.now
        for _ in 0..<10 { for address in hot { _ = cached.lookup(address) } }
        print("GeoLite2-City cached lookup: \((ContinuousClock.now - cachedStart) / (hot.count * 10)) per address")
        #expect(found > 50_000)
    }
}
