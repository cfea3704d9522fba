import Foundation
import Testing

@testable import Enricher

/// A database opened from a file is a read-only mapping of a private unnamed copy: it answers exactly
/// like a heap copy of the same bytes, keeps answering when the file is rewritten in place, and its
/// pages can be dropped at any time.
@Suite("MaxMind DB mapped from an unnamed copy", .enabled(if: MaxMindFixtures.available, "\(MaxMindFixtures.absentMessage)"))
struct MaxMindMappedDatabaseTests {
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
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmdb-mapped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: MaxMindFixtures.testData(name), toPath: path)
        return (directory, path)
    }

    @Test("answers like a heap copy, before and after its pages are dropped, and passes verify")
    func sameAnswers() throws {
        let (directory, path) = try Self.temporaryCopy(of: "GeoIP2-City-Test.mmdb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mapped = try MaxMindDatabase(contentsOfFile: path)
        let heap = try MaxMindDatabase(bytes: try Data(contentsOf: URL(fileURLWithPath: path)), source: "heap copy")
        #expect(mapped.isMapped)
        #expect(!heap.isMapped)
        try mapped.verify()
        let addresses = Self.sampleAddresses()
        let expected = addresses.map { Self.answer(heap, $0) }
        #expect(expected.contains { $0.hasSuffix("/Boxford") }, "the sample reaches real records")
        #expect(addresses.map { Self.answer(mapped, $0) } == expected)
        mapped.dropResidentPages()
        #expect(addresses.map { Self.answer(mapped, $0) } == expected)
        heap.dropResidentPages()  // a no-op for a heap copy
        #expect(addresses.map { Self.answer(heap, $0) } == expected)
    }

    @Test("a file truncated and rewritten in place does not change what the mapped database answers")
    func rewrittenInPlace() throws {
        let (directory, path) = try Self.temporaryCopy(of: "GeoIP2-City-Test.mmdb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mapped = try MaxMindDatabase(contentsOfFile: path)
        #expect(mapped.isMapped)
        let addresses = Self.sampleAddresses()
        let expected = addresses.map { Self.answer(mapped, $0) }
        mapped.dropResidentPages()
        // Truncate to a few bytes (a plain mapping of this file would now raise SIGBUS on access), then
        // write different bytes over it.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 16)
        try handle.write(contentsOf: Data(repeating: 0xAB, count: 4096))
        try handle.close()
        #expect(addresses.map { Self.answer(mapped, $0) } == expected)
    }
}
