import Foundation
import Testing

@testable import Enricher

/// A database opened from a file reads a private unnamed copy through a bounded page cache: it answers
/// exactly like a heap copy of the same bytes whatever the cache's size, never holds more pages than its
/// bound, and keeps answering when the file is rewritten in place.
@Suite("MaxMind DB paged from an unnamed copy", .enabled(if: MaxMindFixtures.available, "\(MaxMindFixtures.absentMessage)"))
struct MaxMindPagedDatabaseTests {
    /// Addresses spread over both families: network starts and random addresses.
    static func sampleAddresses() -> [MaxMindAddress] {
        var generator = SystemRandomNumberGenerator()
        var addresses: [MaxMindAddress] = []
        for text in ["2.125.160.216", "81.2.69.142", "81.2.69.160", "89.160.20.112", "216.160.83.56", "::1", "2001:218::", "2a02:cf40::"] {
            addresses.append(MaxMindAddress(text)!)
        }
        for _ in 0..<2000 { addresses.append(MaxMindAddress(ipv4: UInt32(truncatingIfNeeded: generator.next()))) }
        for _ in 0..<500 { addresses.append(MaxMindAddress(ipv6High: generator.next(), low: generator.next())) }
        return addresses
    }

    /// What a lookup gives, comparable: the record's offset, the prefix length and the city name.
    static func answer(_ database: MaxMindDatabase, _ address: MaxMindAddress) -> String {
        do {
            let lookup = try database.lookup(address)
            let city = try lookup.record?.string(at: ["city", "names", "en"])
            return "\(lookup.record?.offset ?? -1)/\(lookup.prefixLength)/\(city ?? "-")"
        } catch {
            return "error: \(error)"
        }
    }

    static func temporaryCopy(of name: String) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmdb-paged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: MaxMindFixtures.testData(name), toPath: path)
        return (directory, path)
    }

    /// The whole record of each address, decoded (every string, number and map of it), comparable.
    struct FullAnswer: Hashable {
        var prefixLength: Int
        var record: MaxMindValue?
        var error: String?
    }

    static func fullAnswer(_ database: MaxMindDatabase, _ address: MaxMindAddress) -> FullAnswer {
        do {
            let lookup = try database.lookup(address)
            return FullAnswer(prefixLength: lookup.prefixLength, record: try lookup.record?.decode(), error: nil)
        } catch {
            return FullAnswer(prefixLength: -1, record: nil, error: "\(error)")
        }
    }

    @Test("answers like a heap copy and passes verify, with the default bound")
    func sameAnswers() throws {
        let (directory, path) = try Self.temporaryCopy(of: "GeoIP2-City-Test.mmdb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let paged = try MaxMindDatabase(contentsOfFile: path)
        let heap = try MaxMindDatabase(bytes: try Data(contentsOf: URL(fileURLWithPath: path)), source: "heap copy")
        #expect(paged.isPaged)
        #expect(!heap.isPaged)
        #expect(heap.pageCache == nil)
        try paged.verify()
        let addresses = Self.sampleAddresses()
        let expected = addresses.map { Self.answer(heap, $0) }
        #expect(expected.contains { $0.hasSuffix("/Boxford") }, "the sample reaches real records")
        #expect(addresses.map { Self.answer(paged, $0) } == expected)
        #expect(addresses.map { Self.fullAnswer(paged, $0) } == addresses.map { Self.fullAnswer(heap, $0) })
        let cache = try #require(paged.pageCache)
        #expect(cache.capacity == MaxMindPageCache.defaultCapacity)
        #expect(cache.readFailures == 0)
    }

    @Test("a cache of a few pages holds at most that many, evicts, and still answers like a heap copy", arguments: [2, 3])
    func tinyCache(capacity: Int) throws {
        let (directory, path) = try Self.temporaryCopy(of: "GeoIP2-City-Test.mmdb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let paged = try MaxMindDatabase(contentsOfFile: path, pageCacheCapacity: capacity)
        let heap = try MaxMindDatabase(bytes: try Data(contentsOf: URL(fileURLWithPath: path)), source: "heap copy")
        let cache = try #require(paged.pageCache)
        #expect(cache.capacity == capacity)
        #expect(cache.fileSize > 5 * MaxMindPageCache.pageSize, "the file has more pages than the cache holds")
        try paged.verify()
        let addresses = Self.sampleAddresses()
        #expect(addresses.map { Self.fullAnswer(paged, $0) } == addresses.map { Self.fullAnswer(heap, $0) })
        #expect(cache.pagesHeld <= capacity)
        #expect(cache.pagesHeld == capacity, "a full cache")
        #expect(cache.pagesLoaded > capacity, "pages were evicted and read again")
        #expect(cache.readFailures == 0)
    }

    @Test("the page cache reads exactly the file's bytes, across page boundaries, with any bound")
    func pageCacheBytes() throws {
        let (directory, path) = try Self.temporaryCopy(of: "GeoIP2-ISP-Test.mmdb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for capacity in [2, 4, 64] {
            let descriptor = open(path, O_RDONLY)
            try #require(descriptor >= 0)
            let cache = MaxMindPageCache(descriptor: descriptor, fileSize: expected.count, capacity: capacity)
            let bytes = MaxMindBytes(pages: cache)
            var generator = SystemRandomNumberGenerator()
            var mismatches = 0
            for _ in 0..<2000 {
                let start = Int.random(in: 0..<expected.count, using: &generator)
                let count = Int.random(in: 0...min(9000, expected.count - start), using: &generator)
                let read = bytes.withBytes(start, count) { Array($0) }
                if read != Array(expected[start..<start + count]) { mismatches += 1 }
                if bytes[start] != expected[start] { mismatches += 1 }
            }
            withExtendedLifetime(cache) {}
            #expect(mismatches == 0)
            #expect(cache.pagesHeld <= capacity)
            #expect(cache.readFailures == 0)
        }
    }

    @Test("GeoLite2-City through a 64-page cache: at most 64 pages held, answers like a heap copy")
    func geoLite2Bound() throws {
        guard let source = MaxMindFixtures.geoLite2CityPath else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmdb-paged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("GeoLite2-City.mmdb").path
        try FileManager.default.copyItem(atPath: source, toPath: path)
        let paged = try MaxMindDatabase(contentsOfFile: path, pageCacheCapacity: 64)
        let heap = try MaxMindDatabase(bytes: try Data(contentsOf: URL(fileURLWithPath: path)), source: "heap copy")
        let cache = try #require(paged.pageCache)
        let addresses = Self.sampleAddresses()
        #expect(addresses.map { Self.fullAnswer(paged, $0) } == addresses.map { Self.fullAnswer(heap, $0) })
        #expect(cache.pagesHeld <= 64)
        #expect(cache.pagesLoaded > 64)
    }

    @Test("a file truncated and rewritten in place does not change what the paged database answers")
    func rewrittenInPlace() throws {
        let (directory, path) = try Self.temporaryCopy(of: "GeoIP2-City-Test.mmdb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let paged = try MaxMindDatabase(contentsOfFile: path, pageCacheCapacity: 2)
        #expect(paged.isPaged)
        let addresses = Self.sampleAddresses()
        let expected = addresses.map { Self.answer(paged, $0) }
        // Truncate to a few bytes (a plain mapping of this file would now raise SIGBUS on access), then
        // write different bytes over it; the 2-page cache has to read the copy again for most lookups.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 16)
        try handle.write(contentsOf: Data(repeating: 0xAB, count: 4096))
        try handle.close()
        #expect(addresses.map { Self.answer(paged, $0) } == expected)
    }
}
