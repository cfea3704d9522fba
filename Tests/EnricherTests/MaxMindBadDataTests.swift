import Foundation
import Shared
import Testing

@testable import Enricher

/// Corrupt, truncated and mutated files give `FreshetError`s, never a crash.
@Suite("MaxMind reader on bad data", .enabled(if: MaxMindFixtures.available, "\(MaxMindFixtures.absentMessage)"))
struct MaxMindBadDataTests {
    /// Addresses that walk most of a small tree: every /8 of IPv4, their neighbours, and a spread of IPv6.
    static let walkAddresses: [MaxMindAddress] = {
        var addresses: [MaxMindAddress] = []
        var generator = MaxMindFuzzGenerator(seed: 42)
        for first in 0..<256 {
            addresses.append(MaxMindAddress(ipv4: UInt32(first) << 24 | 0x010101))
            addresses.append(MaxMindAddress(ipv4: UInt32(truncatingIfNeeded: generator.next())))
        }
        for _ in 0..<256 {
            addresses.append(MaxMindAddress(ipv6High: generator.next(), low: generator.next()))
            addresses.append(MaxMindAddress(ipv6High: 0, low: generator.next() & 0xFFFF_FFFF))
        }
        for text in ["1.1.1.1", "::1.1.1.1", "::ffff:1.1.1.1", "2002:101:101::", "::", "::2:0:0", "::1:ffff:ffff"] {
            addresses.append(MaxMindAddress(text)!)
        }
        return addresses
    }()

    enum Outcome: Equatable {
        case rejectedAtOpen(String)
        case rejectedByVerify(String)
        case accepted(failedLookups: Int)
    }

    /// Opens, verifies and walks `bytes`; any error other than a `FreshetError` is a test failure.
    static func exercise(_ bytes: [UInt8], source: String) -> Outcome {
        let database: MaxMindDatabase
        do {
            database = try MaxMindDatabase(bytes: bytes, source: source)
        } catch let error as FreshetError {
            #expect(error.code == .geoipInvalidDatabase, "\(source): \(error)")
            return .rejectedAtOpen(error.message)
        } catch {
            Issue.record("\(source): open threw a non-FreshetError \(error)")
            return .rejectedAtOpen("\(error)")
        }
        var failedLookups = 0
        for address in walkAddresses {
            do {
                _ = try database.lookup(address).record?.decode()
            } catch let error as FreshetError {
                if error.code != .geoipAddressFamilyMismatch {
                    #expect(error.code == .geoipInvalidDatabase, "\(source): \(error)")
                    failedLookups += 1
                    if ProcessInfo.processInfo.environment["MMDB_DEBUG"] != nil { print("    \(source) \(address): \(error.message)") }
                }
            } catch {
                Issue.record("\(source): lookup threw a non-FreshetError \(error)")
            }
        }
        do {
            try database.verify()
        } catch let error as FreshetError {
            #expect(error.code == .geoipInvalidDatabase)
            return .rejectedByVerify(error.message)
        } catch {
            Issue.record("\(source): verify threw a non-FreshetError \(error)")
        }
        return .accepted(failedLookups: failedLookups)
    }

    @Test("every bad-data file is refused when MaxMind's reader refuses it, and never crashes us")
    func badDataFiles() throws {
        let files = MaxMindFixtures.badDataFiles()
        #expect(files.count >= 20)
        var report = MaxMindSuiteReport("MaxMind bad-data files")
        for path in files {
            let name = URL(fileURLWithPath: path).lastPathComponent
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let outcome = Self.exercise(bytes, source: name)
            // A file passing open + verify must also answer every lookup without error.
            if case .accepted(let failed) = outcome {
                report.check(failed == 0, "\(name): verified but \(failed) lookups failed")
            }
            if MaxMindFixtures.oracleAvailable {
                let verdict = try MaxMindFixtures.oracleVerdict(path)
                switch outcome {
                case .accepted:
                    report.check(verdict == "ok", "\(name): we accept it, MaxMind's reader says \(verdict)")
                case .rejectedAtOpen(let message), .rejectedByVerify(let message):
                    report.check(verdict != "ok", "\(name): we refuse it (\(message)) but MaxMind's reader accepts it")
                }
            } else {
                report.check(true, "")
            }
            print("  \(name): \(outcome)")
        }
        report.finish()
    }

    @Test("a good file truncated at any of many positions is refused at open")
    func truncation() throws {
        for name in ["GeoIP2-City-Test.mmdb", "MaxMind-DB-test-decoder.mmdb"] {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: MaxMindFixtures.testData(name))))
            var report = MaxMindSuiteReport("\(name) truncated")
            var positions = Set(stride(from: 0, to: bytes.count, by: 7))
            positions.formUnion((bytes.count - 400)..<bytes.count)
            for length in positions.sorted() {
                let outcome = Self.exercise(Array(bytes[0..<length]), source: "\(name)[0..<\(length)]")
                if case .accepted = outcome {
                    report.check(false, "truncated to \(length) bytes: accepted")
                } else {
                    report.check(true, "")
                }
            }
            report.finish()
        }
    }

    @Test("a good file with a piece cut out of its tree or data is refused, or fails only with errors")
    func cutOut() throws {
        for name in ["GeoIP2-City-Test.mmdb", "MaxMind-DB-test-decoder.mmdb", "GeoLite2-ASN-Test.mmdb"] {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: MaxMindFixtures.testData(name))))
            let metadataStart = bytes.ranges(of: MaxMindDatabase.metadataMarker).last!.lowerBound
            var report = MaxMindSuiteReport("\(name) with bytes cut out")
            var generator = MaxMindFuzzGenerator(seed: UInt64(bytes.count))
            for _ in 0..<150 {
                let start = Int(generator.next() % UInt64(metadataStart))
                let length = 1 + Int(generator.next() % UInt64(min(64, metadataStart - start)))
                var mutated = bytes
                mutated.removeSubrange(start..<start + length)
                let outcome = Self.exercise(mutated, source: "\(name) without [\(start), +\(length))")
                // Removing bytes before the metadata makes the tree and data disagree with it.
                if case .accepted = outcome {
                    report.check(false, "cut [\(start), +\(length)) was accepted by open and verify")
                } else {
                    report.check(true, "")
                }
            }
            report.finish()
        }
    }

    @Test("randomly corrupted files never crash; a file that passes verify answers every lookup")
    func corruption() throws {
        var report = MaxMindSuiteReport("MaxMind test files with random byte corruption")
        var rejected = 0
        for name in ["GeoIP2-City-Test.mmdb", "MaxMind-DB-test-decoder.mmdb", "GeoLite2-ASN-Test.mmdb", "MaxMind-DB-test-mixed-24.mmdb"] {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: MaxMindFixtures.testData(name))))
            var generator = MaxMindFuzzGenerator(seed: UInt64(bytes.count) * 31)
            for round in 0..<150 {
                var mutated = bytes
                for _ in 0..<(1 + round % 8) {
                    let position = Int(generator.next() % UInt64(bytes.count))
                    mutated[position] = UInt8(truncatingIfNeeded: generator.next())
                }
                let outcome = Self.exercise(mutated, source: "\(name) corruption \(round)")
                switch outcome {
                case .accepted(let failed):
                    report.check(failed == 0, "\(name) corruption \(round): verified but \(failed) lookups failed")
                default:
                    rejected += 1
                    report.check(true, "")
                }
            }
        }
        #expect(rejected > 0, "some corruptions must be detected")
        report.finish()
    }
}

/// A small deterministic generator for reproducible fuzzing.
struct MaxMindFuzzGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
