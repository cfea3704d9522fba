import Foundation
import FreshetTestSupport
import Shared
import Testing

@testable import Enricher

/// Replacing the database file while lookups go on.
@Suite("GeoIP database hot replacement", .enabled(if: MaxMindFixtures.available, "\(MaxMindFixtures.absentMessage)"))
struct GeoIPHotReplacementTests {
    /// Writes `source`'s bytes to a temporary name beside `path` and renames it over `path`.
    static func install(_ source: String, at path: String) throws {
        let temporary = path + ".incoming"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.copyItem(atPath: source, toPath: temporary)
        guard rename(temporary, path) == 0 else { throw MaxMindFixtures.OracleFailure(message: "rename failed: \(errno)") }
    }

    /// GeoIP2-City-Test with the city name "Boxford" spelled "Boxferd": a database whose answers differ.
    static func respelledCopy(in folder: URL) throws -> String {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: MaxMindFixtures.testData("GeoIP2-City-Test.mmdb"))))
        let original = Array("Boxford".utf8)
        let ranges = Array(bytes.ranges(of: original))
        #expect(!ranges.isEmpty)
        for range in ranges { bytes.replaceSubrange(range, with: Array("Boxferd".utf8)) }
        let path = folder.appendingPathComponent("respelled.mmdb").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a changed file is swapped in, a corrupt one is refused while the old keeps serving")
    func replacement() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("geoip"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("GeoLite2-City.mmdb").path
        try Self.install(MaxMindFixtures.testData("GeoIP2-City-Test.mmdb"), at: path)

        let holder = try MaxMindDatabaseHolder(path: path)
        let enrichment = IPLookupsEnrichment(geo: holder)
        #expect(holder.database.metadata.databaseType == "GeoIP2-City")
        #expect(enrichment.lookup("2.125.160.216").geoCity == "Boxford")
        #expect(holder.reloadIfChanged().isUnchanged)

        // A lookup in progress holds the old database; it stays valid after the swap.
        let inProgress = try #require(try holder.database.lookup(MaxMindAddress("2.125.160.216")!).record)

        // Swap to a database with other answers: the cached result must not be served any more.
        try Self.install(try Self.respelledCopy(in: folder), at: path)
        guard case .replaced(let replacement) = holder.reloadIfChanged() else {
            Issue.record("the changed file was not swapped in")
            return
        }
        #expect(holder.generation == 1)
        #expect(holder.database === replacement)
        #expect(enrichment.lookup("2.125.160.216").geoCity == "Boxferd")
        #expect(try inProgress.string(at: ["city", "names", "en"]) == "Boxford")

        // And to a different kind of database.
        try Self.install(MaxMindFixtures.testData("GeoLite2-City-Test.mmdb"), at: path)
        #expect(!holder.reloadIfChanged().isUnchanged)
        #expect(holder.generation == 2)
        #expect(holder.database.metadata.databaseType == "GeoLite2-City")
        #expect(enrichment.lookup("2.125.160.216").geoCity == "Boxford")

        // A corrupt replacement is refused; the previous database keeps answering.
        try Self.install(MaxMindFixtures.testData("../bad-data/libmaxminddb/libmaxminddb-deep-nesting.mmdb"), at: path)
        guard case .rejected(let error) = holder.reloadIfChanged() else {
            Issue.record("the corrupt file was not refused")
            return
        }
        #expect(error.code == .geoipInvalidDatabase)
        #expect(holder.generation == 2)
        #expect(holder.database.metadata.databaseType == "GeoLite2-City")
        #expect(enrichment.lookup("2.125.160.216").geoCity == "Boxford")
        #expect(holder.reloadIfChanged().isUnchanged, "the same bad file is not retried")

        // A truncated copy written in place is refused too.
        let good = try Data(contentsOf: URL(fileURLWithPath: MaxMindFixtures.testData("GeoIP2-City-Test.mmdb")))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(holder.reloadIfChanged().isRejected)
        #expect(holder.database.metadata.databaseType == "GeoLite2-City")

        // A vanished file is refused (the loaded copy keeps serving), and a good file is taken again.
        try FileManager.default.removeItem(atPath: path)
        guard case .rejected(let vanished) = holder.reloadIfChanged() else {
            Issue.record("a missing file was not reported")
            return
        }
        #expect(vanished.code == .geoipUnreadableDatabase)
        #expect(enrichment.lookup("2.125.160.216").geoCity == "Boxford")
        try Self.install(MaxMindFixtures.testData("GeoIP2-City-Test.mmdb"), at: path)
        guard case .replaced = holder.reloadIfChanged() else {
            Issue.record("the repaired file was not swapped in")
            return
        }
        #expect(holder.generation == 3)
        #expect(holder.database.metadata.databaseType == "GeoIP2-City")
    }

    @Test("lookups running on other threads during swaps always see one whole database")
    func concurrentLookups() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("geoip"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("city.mmdb").path
        let versions = [MaxMindFixtures.testData("GeoIP2-City-Test.mmdb"), try Self.respelledCopy(in: folder)]
        try Self.install(versions[0], at: path)
        let holder = try MaxMindDatabaseHolder(path: path)
        let enrichment = IPLookupsEnrichment(geo: holder, cacheSize: 0)

        let readers = (0..<2).map { _ in
            Task.detached { () -> Int in
                var answered = 0
                for _ in 0..<2_000 {
                    let result = enrichment.lookup("2.125.160.216")
                    // One database or the other, never an error or an empty answer.
                    #expect(result.geoCity == "Boxford" || result.geoCity == "Boxferd")
                    #expect(result.databaseErrors.isEmpty && result.geoZipcode == "OX1")
                    answered += 1
                }
                return answered
            }
        }
        var swaps = 0
        for round in 1...6 {
            try Self.install(versions[round % 2], at: path)
            if case .replaced = holder.reloadIfChanged() { swaps += 1 }
        }
        var answered = 0
        for reader in readers { answered += await reader.value }
        #expect(answered == 4_000)
        #expect(swaps == 6)
        #expect(holder.generation == 6)
    }
}

extension MaxMindDatabaseHolder.ReloadOutcome {
    var isUnchanged: Bool {
        if case .unchanged = self { return true }
        return false
    }
    var isRejected: Bool {
        if case .rejected = self { return true }
        return false
    }
}
