import Foundation
import Testing

@testable import Enricher

/// Each test database against the JSON it was built from (MaxMind-DB `source-data/`).
@Suite("MaxMind test databases match their source data", .enabled(if: MaxMindFixtures.available, "\(MaxMindFixtures.absentMessage)"))
struct MaxMindSourceDataTests {
    /// A source network in 128-bit form (IPv4 networks as `::a.b.c.d/96+n`), for containment checks.
    struct Network {
        var text: String
        var first: MaxMindAddress
        var high: UInt64
        var low: UInt64
        var prefix: Int
        var record: MaxMindTestJSON

        func contains(_ other: Network) -> Bool {
            guard prefix <= other.prefix else { return false }
            let highMask: UInt64 = prefix >= 64 ? .max : (prefix == 0 ? 0 : .max << UInt64(64 - prefix))
            let lowMask: UInt64 = prefix <= 64 ? 0 : (prefix == 128 ? .max : .max << UInt64(128 - prefix))
            return other.high & highMask == high & highMask && other.low & lowMask == low & lowMask
        }
    }

    static func networks(_ file: String) throws -> [Network] {
        let data = try Data(contentsOf: URL(fileURLWithPath: MaxMindFixtures.sourceData(file)))
        let entries = try JSONDecoder().decode([[String: MaxMindTestJSON]].self, from: data)
        return try entries.flatMap { entry in
            try entry.map { text, record in
                let parts = text.split(separator: "/")
                guard parts.count == 2, let address = MaxMindAddress(parts[0]), let length = Int(parts[1]) else {
                    throw MaxMindFixtures.OracleFailure(message: "bad network \(text) in \(file)")
                }
                let high = address.isIPv4 ? 0 : address.high
                let prefix = address.isIPv4 ? length + 96 : length
                return Network(text: text, first: address, high: high, low: address.low, prefix: prefix, record: record)
            }
        }
    }

    @Test(
        "looking up the first address of every source network finds that network's record",
        arguments: [
            ("GeoIP2-City-Test.mmdb", "GeoIP2-City-Test.json"), ("GeoLite2-City-Test.mmdb", "GeoLite2-City-Test.json"),
            ("GeoLite2-ASN-Test.mmdb", "GeoLite2-ASN-Test.json"),
        ])
    func sourceData(_ database: String, _ source: String) throws {
        let reader = try MaxMindDatabase(contentsOfFile: MaxMindFixtures.testData(database))
        try reader.verify()
        let networks = try Self.networks(source)
        #expect(networks.count > 100)
        var report = MaxMindSuiteReport("\(source) vs \(database)")
        for network in networks {
            // A later, more specific network may cover this one's first address: expect the most specific.
            let expected = networks.filter { $0.contains(network) }.max { $0.prefix < $1.prefix } ?? network
            do {
                let lookup = try reader.lookup(network.first)
                guard let record = lookup.record else {
                    report.check(false, "\(network.text): not found")
                    continue
                }
                let ours = MaxMindTestJSON(try record.decode())
                report.check(
                    ours.matchesLoosely(expected.record),
                    "\(network.text): ours \(ours) ≠ \(expected.text) \(expected.record)")
            } catch {
                report.check(false, "\(network.text): \(error)")
            }
        }
        report.finish()
    }
}
