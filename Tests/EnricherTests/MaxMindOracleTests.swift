import Foundation
import FreshetTestSupport
import Shared
import Testing

@testable import Enricher

/// Our reader against MaxMind's own Python reader (`maxminddb`), which nobody here wrote.
@Suite(
    "MaxMind reader agrees with MaxMind's Python reader",
    .enabled(if: MaxMindFixtures.available, "\(MaxMindFixtures.absentMessage)"),
    .enabled(if: MaxMindFixtures.oracleAvailable, "\(MaxMindFixtures.oracleAbsentMessage)"))
struct MaxMindOracleTests {
    /// Compares our answers with the oracle's for the same addresses, into `report`.
    static func compare(_ database: MaxMindDatabase, with answers: [MaxMindFixtures.OracleAnswer], report: inout MaxMindSuiteReport) {
        for answer in answers {
            guard let address = MaxMindAddress(answer.address) else {
                report.check(false, "\(answer.address): our parser rejects an address Python accepts")
                continue
            }
            do {
                let lookup = try database.lookup(address)
                if let error = answer.error {
                    report.check(false, "\(answer.address): Python fails (\(error)) but we found \(lookup.record == nil ? "nothing" : "a record")")
                    continue
                }
                let ours = try lookup.record.map { MaxMindTestJSON(try $0.decode()) } ?? .null
                let theirs = answer.record ?? .null
                report.check(
                    ours == theirs && lookup.prefixLength == answer.prefixLength,
                    "\(answer.address): ours /\(lookup.prefixLength) \(ours) ≠ Python /\(answer.prefixLength ?? -1) \(theirs)")
            } catch let error as FreshetError {
                report.check(answer.error != nil, "\(answer.address): we fail (\(error)) but Python answers \(answer.record ?? .null)")
            } catch {
                report.check(false, "\(answer.address): unexpected error \(error)")
            }
        }
    }

    @Test(
        "every test database answers every network as Python does",
        arguments: [
            "GeoIP2-City-Test.mmdb", "GeoIP2-ISP-Test.mmdb", "GeoLite2-ASN-Test.mmdb", "GeoLite2-City-Test.mmdb",
            "MaxMind-DB-no-ipv4-search-tree.mmdb", "MaxMind-DB-test-broken-pointers-24.mmdb",
            "MaxMind-DB-test-broken-search-tree-24.mmdb", "MaxMind-DB-test-decoder.mmdb", "MaxMind-DB-test-ipv4-24.mmdb",
            "MaxMind-DB-test-ipv6-24.mmdb", "MaxMind-DB-test-mixed-24.mmdb",
        ])
    func testDatabase(_ name: String) throws {
        let path = MaxMindFixtures.testData(name)
        let database = try MaxMindDatabase(contentsOfFile: path)
        let answers = try MaxMindFixtures.oracle(path, sample: 300, extraAddresses: ["::ffff:1.1.1.1", "2002:101:101::", "::1.1.1.1", "::"])
        #expect(answers.count > 300)
        var report = MaxMindSuiteReport("\(name) vs maxminddb")
        Self.compare(database, with: answers, report: &report)
        report.finish()
    }

    @Test(
        "24-, 28- and 32-bit records answer as Python does",
        arguments: ["MaxMind-DB-test-ipv4-24.mmdb", "MaxMind-DB-test-ipv6-24.mmdb", "MaxMind-DB-test-mixed-24.mmdb", "MaxMind-DB-test-decoder.mmdb", "GeoIP2-City-Test.mmdb"],
        [24, 28, 32])
    func recordSizes(_ name: String, _ recordSize: Int) throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: MaxMindFixtures.testData(name))))
        let bytes = try MaxMindFixtures.convert(original, toRecordSize: recordSize)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("mmdb"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("\(recordSize)-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let database = try MaxMindDatabase(contentsOfFile: path)
        #expect(database.metadata.recordSize == recordSize)
        try database.verify()
        let answers = try MaxMindFixtures.oracle(path, sample: 300)
        // The oracle reading the converted file must still find the original's records.
        let originalAnswers = try MaxMindFixtures.oracle(MaxMindFixtures.testData(name), sample: 300)
        #expect(answers.map { "\($0.address) \($0.record ?? .null)" } == originalAnswers.map { "\($0.address) \($0.record ?? .null)" })
        var report = MaxMindSuiteReport("\(name) as \(recordSize)-bit records vs maxminddb")
        Self.compare(database, with: answers, report: &report)
        report.finish()
    }

    @Test("GeoLite2-City: 2000 random addresses, full records and Snowplow fields, as Python reads them")
    func geoLite2City() throws {
        guard let path = MaxMindFixtures.geoLite2CityPath else {
            print("GeoLite2-City cross-check skipped: no .stack/data/enrichments/GeoLite2-City.mmdb and the PyPI package maxminddb-geolite2==2018.703 is not installed (run scripts/fetch-geolite2.sh)")
            return
        }
        let database = try MaxMindDatabase(contentsOfFile: path)
        #expect(database.metadata.databaseType == "GeoLite2-City")
        let answers = try MaxMindFixtures.oracle(path, mode: "random", sample: 2000, seed: 20_180_703)
        #expect(answers.count == 2000)
        var report = MaxMindSuiteReport("GeoLite2-City vs maxminddb (random addresses)")
        Self.compare(database, with: answers, report: &report)
        report.finish()

        // The enrichment reads single fields lazily; they must equal the same fields of Python's record.
        let holder = try MaxMindDatabaseHolder(path: path, verify: false)
        let enrichment = IPLookupsEnrichment(geo: holder, cacheSize: 0)
        var fields = MaxMindSuiteReport("GeoLite2-City Snowplow geo_* fields vs maxminddb records")
        var found = 0
        for answer in answers where answer.error == nil {
            let result = enrichment.lookup(answer.address)
            guard let record = answer.record, record != .null else {
                fields.check(result.atomicFields.isEmpty, "\(answer.address): not in the database but we filled \(result.atomicFields)")
                continue
            }
            found += 1
            let subdivision: MaxMindTestJSON? = {
                if case .array(let items)? = record["subdivisions"] { return items.last }
                return nil
            }()
            func text(_ value: MaxMindTestJSON?) -> String? {
                if case .string(let text)? = value { return text }
                return nil
            }
            func float(_ value: MaxMindTestJSON?) -> Float {
                if case .double(let number)? = value { return Float(number) }
                return 0
            }
            let expected: [String?] = [
                text(record["country"]?["iso_code"]), text(subdivision?["iso_code"]), text(record["city"]?["names"]?["en"]),
                text(record["postal"]?["code"]), text(subdivision?["names"]?["en"]), text(record["location"]?["time_zone"]),
                "\(float(record["location"]?["latitude"]))", "\(float(record["location"]?["longitude"]))",
            ]
            let ours: [String?] = [
                result.geoCountry, result.geoRegion, result.geoCity, result.geoZipcode, result.geoRegionName, result.geoTimezone,
                result.geoLatitude.map { "\($0)" }, result.geoLongitude.map { "\($0)" },
            ]
            fields.check(ours == expected && result.databaseErrors.isEmpty, "\(answer.address): ours \(ours) ≠ expected \(expected)")
        }
        #expect(found > 1000, "the random sample should mostly hit GeoLite2-City records")
        fields.finish()
    }
}
