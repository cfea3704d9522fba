import Foundation
import FreshetTestSupport
import Testing

@testable import Enricher

/// Where the MaxMind reference files are, and the oracle (MaxMind's own Python reader) the tests
/// compare against. Shared by the MaxMind*/GeoIP* test files.
enum MaxMindFixtures {
    /// `<testdata>/maxmind`, found through `FRESHET_TESTDATA`, then `<repositoryRoot>/../shared/testdata`,
    /// then `/work/shared/testdata`; `nil` when none exists.
    static let directory: URL? = {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["FRESHET_TESTDATA"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        candidates.append(TestEnvironment.repositoryRoot.appendingPathComponent("../shared/testdata"))
        candidates.append(URL(fileURLWithPath: "/work/shared/testdata"))
        for candidate in candidates {
            let folder = candidate.appendingPathComponent("maxmind")
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("test-data").path) {
                return folder.standardizedFileURL
            }
        }
        return nil
    }()

    static var available: Bool { directory != nil }
    static let absentMessage =
        "MaxMind reference files not found (set FRESHET_TESTDATA, or put shared/testdata beside the repository)"

    static func testData(_ name: String) -> String { directory!.appendingPathComponent("test-data/\(name)").path }
    static func sourceData(_ name: String) -> String { directory!.appendingPathComponent("source-data/\(name)").path }

    /// Every `.mmdb` under `bad-data/`, sorted.
    static func badDataFiles() -> [String] {
        guard let directory else { return [] }
        let root = directory.appendingPathComponent("bad-data")
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var files: [String] = []
        while let item = enumerator?.nextObject() as? String {
            if item.hasSuffix(".mmdb") { files.append(root.appendingPathComponent(item).path) }
        }
        return files.sorted()
    }

    /// Whether the project virtualenv has MaxMind's reader (`pip install maxminddb==3.2.0`).
    static let oracleAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: TestEnvironment.python) else { return false }
        return (try? ChildProcess.python("import maxminddb"))?.status == 0
    }()
    static let oracleAbsentMessage = "MaxMind's Python reader is not installed: \(TestEnvironment.python) -m pip install maxminddb==3.2.0"

    /// GeoLite2-City: `<repositoryRoot>/.stack/data/enrichments/GeoLite2-City.mmdb`, or fetched with
    /// scripts/fetch-geolite2.sh into a temporary folder when the PyPI package is installed.
    static let geoLite2CityPath: String? = {
        let stacked = TestEnvironment.repositoryRoot.appendingPathComponent(".stack/data/enrichments/GeoLite2-City.mmdb").path
        if FileManager.default.fileExists(atPath: stacked) { return stacked }
        let installed = (try? ChildProcess.python("import _maxminddb_geolite2"))?.status == 0
        guard installed else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-geolite2-\(getpid())")
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/fetch-geolite2.sh").path
        guard let output = try? ChildProcess.run("/bin/bash", [script, folder.path]), output.status == 0 else { return nil }
        let path = folder.appendingPathComponent("GeoLite2-City.mmdb").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    /// Python that prints, for each address, MaxMind's reader's answer: `{"a", "p", "r"}` (record with
    /// type-tagged scalars: "i:" integer, "f:" float, "s:" string, "b:" hex bytes) or `{"a", "e"}`.
    /// Arguments: database path, then `tree` (the first address of every network the reader iterates,
    /// plus a random sample) or `random` (only the sample); sample size; seed. Extra addresses on stdin,
    /// one per line.
    static let oracleScript = #"""
import sys, json, random, ipaddress, maxminddb
def tag(v):
    if isinstance(v, bool): return v
    if isinstance(v, int): return "i:%d" % v
    if isinstance(v, float): return "f:" + repr(v)
    if isinstance(v, str): return "s:" + v
    if isinstance(v, (bytes, bytearray)): return "b:" + bytes(v).hex()
    if isinstance(v, dict): return {k: tag(x) for k, x in v.items()}
    if isinstance(v, list): return [tag(x) for x in v]
    if v is None: return None
    raise TypeError(type(v))
path, mode, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
reader = maxminddb.open_database(path)
addresses = [line.strip() for line in sys.stdin if line.strip()]
if mode == "tree":
    try:
        for network, _ in reader:
            addresses.append(str(network.network_address))
            addresses.append(str(network.broadcast_address))
    except Exception:
        pass
rng = random.Random(seed)
v6 = reader.metadata().ip_version == 6
for i in range(count):
    if v6 and i % 4 == 3:
        addresses.append(str(ipaddress.IPv6Address(rng.getrandbits(125) | (1 << 125))))
    elif v6 and i % 8 == 1:
        addresses.append(str(ipaddress.IPv6Address(rng.getrandbits(32))))
    else:
        addresses.append(str(ipaddress.IPv4Address(rng.getrandbits(32))))
out = []
for a in addresses:
    try:
        record, prefix = reader.get_with_prefix_len(a)
        out.append({"a": a, "p": prefix, "r": tag(record)})
    except ValueError as e:
        out.append({"a": a, "e": str(e)})
    except maxminddb.InvalidDatabaseError as e:
        out.append({"a": a, "e": str(e)})
print(json.dumps(out))
"""#

    /// One answer of the oracle.
    struct OracleAnswer {
        var address: String
        var prefixLength: Int?
        var record: MaxMindTestJSON?
        var error: String?
    }

    static func oracle(
        _ path: String, mode: String = "tree", sample: Int = 200, seed: Int = 1, extraAddresses: [String] = []
    ) throws -> [OracleAnswer] {
        let output = try ChildProcess.python(
            oracleScript, arguments: [path, mode, String(sample), String(seed)],
            input: Data(extraAddresses.joined(separator: "\n").utf8))
        guard output.status == 0 else {
            throw OracleFailure(message: "maxminddb failed on \(path): \(output.stderrText)")
        }
        let answers = try JSONDecoder().decode([[String: MaxMindTestJSON]].self, from: output.stdout)
        return answers.map { answer in
            var prefix: Int? = nil
            if case .integer(let text)? = answer["p"] { prefix = Int(text) }
            var error: String? = nil
            if case .string(let text)? = answer["e"] { error = text }
            var address = ""
            if case .string(let text)? = answer["a"] { address = text }
            return OracleAnswer(address: address, prefixLength: prefix, record: answer["r"].map { $0.untagged }, error: error)
        }
    }

    struct OracleFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// What Python's reader thinks of a whole file: "ok" when it opens, iterates and answers 1.1.1.1
    /// without error; otherwise the first error.
    static func oracleVerdict(_ path: String) throws -> String {
        let script = """
            import sys, maxminddb
            try:
                r = maxminddb.open_database(sys.argv[1])
                for _ in r: pass
                r.get('1.1.1.1')
                print('ok')
            except Exception as e:
                print('error: %s' % e)
            """
        return try ChildProcess.python(script, arguments: [path]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Rewrites a database with `recordSize`-bit records (24, 28 or 32): same nodes, same data section and
    /// metadata, `record_size` patched. Record values do not depend on the record size, so the result
    /// must answer every lookup exactly as the original does.
    static func convert(_ bytes: [UInt8], toRecordSize recordSize: Int) throws -> [UInt8] {
        let database = try MaxMindDatabase(bytes: bytes, source: "conversion input")
        let sourceSize = database.metadata.recordSize
        let nodeCount = database.metadata.nodeCount
        func be(_ at: Int, _ count: Int) -> Int { (0..<count).reduce(0) { $0 << 8 | Int(bytes[at + $1]) } }
        var tree: [UInt8] = []
        for node in 0..<nodeCount {
            let at = node * sourceSize / 4
            let left: Int, right: Int
            switch sourceSize {
            case 24: (left, right) = (be(at, 3), be(at + 3, 3))
            case 28: (left, right) = ((Int(bytes[at + 3]) >> 4) << 24 | be(at, 3), (Int(bytes[at + 3]) & 0x0F) << 24 | be(at + 4, 3))
            default: (left, right) = (be(at, 4), be(at + 4, 4))
            }
            guard left < 1 << recordSize, right < 1 << recordSize else {
                throw OracleFailure(message: "record value does not fit in \(recordSize) bits")
            }
            switch recordSize {
            case 24:
                tree += [UInt8(left >> 16 & 0xFF), UInt8(left >> 8 & 0xFF), UInt8(left & 0xFF)]
                tree += [UInt8(right >> 16 & 0xFF), UInt8(right >> 8 & 0xFF), UInt8(right & 0xFF)]
            case 28:
                tree += [UInt8(left >> 16 & 0xFF), UInt8(left >> 8 & 0xFF), UInt8(left & 0xFF)]
                tree.append(UInt8((left >> 24 & 0x0F) << 4 | (right >> 24 & 0x0F)))
                tree += [UInt8(right >> 16 & 0xFF), UInt8(right >> 8 & 0xFF), UInt8(right & 0xFF)]
            default:
                for value in [left, right] {
                    tree += [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
                }
            }
        }
        var rest = Array(bytes[(nodeCount * sourceSize / 4)...])
        // The metadata stores "record_size" => uint16 as the key string followed by 0xA1 and the size.
        let pattern: [UInt8] = [0x4B] + Array("record_size".utf8) + [0xA1, UInt8(sourceSize)]
        guard let at = rest.ranges(of: pattern).last else {
            throw OracleFailure(message: "record_size key not found in metadata as a plain string")
        }
        rest[at.upperBound - 1] = UInt8(recordSize)
        return tree + rest
    }
}

/// A JSON value as the comparisons need it: integers kept exact (as decimal text), numbers with a
/// fraction as `Double`, bytes as hex text.
enum MaxMindTestJSON: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(String)
    case double(Double)
    case string(String)
    case bytes(String)
    case array([MaxMindTestJSON])
    case object([String: MaxMindTestJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(String(value))
        } else if let value = try? container.decode(UInt64.self) {
            self = .integer(String(value))
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([MaxMindTestJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: MaxMindTestJSON].self))
        }
    }

    /// The oracle's type-tagged strings turned into typed values.
    var untagged: MaxMindTestJSON {
        switch self {
        case .string(let text):
            let body = String(text.dropFirst(2))
            switch text.prefix(2) {
            case "i:": return .integer(body)
            case "f:": return .double(Double(body) ?? .nan)
            case "b:": return .bytes(body)
            default: return .string(body)
            }
        case .array(let items): return .array(items.map(\.untagged))
        case .object(let entries): return .object(entries.mapValues(\.untagged))
        default: return self
        }
    }

    /// `value` in the same shape.
    init(_ value: MaxMindValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .double(let number): self = .double(number)
        case .float(let number): self = .double(Double(number))
        case .bytes(let bytes): self = .bytes(bytes.map { String(format: "%02x", $0) }.joined())
        case .uint16(let number): self = .integer(String(number))
        case .uint32(let number): self = .integer(String(number))
        case .int32(let number): self = .integer(String(number))
        case .uint64(let number): self = .integer(String(number))
        case .uint128(let number): self = .integer(String(number))
        case .boolean(let flag): self = .bool(flag)
        case .array(let items): self = .array(items.map(MaxMindTestJSON.init))
        case .map(let entries): self = .object(entries.mapValues(MaxMindTestJSON.init))
        }
    }

    /// Equality where a JSON integer also matches an equal floating-point number (source JSON writes a
    /// latitude of 37.0 as `37`).
    func matchesLoosely(_ other: MaxMindTestJSON) -> Bool {
        switch (self, other) {
        case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)): return Double(a) == b
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.matchesLoosely($1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { value.matchesLoosely($0) } ?? false }
        default: return self == other
        }
    }

    subscript(key: String) -> MaxMindTestJSON? {
        if case .object(let entries) = self { return entries[key] }
        return nil
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return "\(flag)"
        case .integer(let text): return text
        case .double(let number): return "\(number)"
        case .string(let text): return "\"\(text)\""
        case .bytes(let hex): return "0x\(hex)"
        case .array(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object(let entries):
            return "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

/// Collects failures of a suite run and reports them as one issue with the first 20, plus the counts.
struct MaxMindSuiteReport {
    var name: String
    var passed = 0
    var failures: [String] = []

    init(_ name: String) { self.name = name }

    mutating func check(_ condition: Bool, _ failure: @autoclosure () -> String) {
        if condition { passed += 1 } else { failures.append(failure()) }
    }

    var total: Int { passed + failures.count }

    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        print("\(name): \(passed)/\(total) passed")
        if !failures.isEmpty {
            let text: String =
                "\(name): \(failures.count) of \(total) failed; first \(min(20, failures.count)):\n"
                + failures.prefix(20).joined(separator: "\n")
            Issue.record(Comment(rawValue: text), sourceLocation: sourceLocation)
        }
    }
}

@Suite("MaxMind fixtures")
struct MaxMindFixturesTests {
    @Test("the record-size conversion keeps every record value", .enabled(if: MaxMindFixtures.available, "\(MaxMindFixtures.absentMessage)"))
    func conversionKeepsRecords() throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: MaxMindFixtures.testData("MaxMind-DB-test-ipv4-24.mmdb"))))
        for size in [28, 32] {
            let converted = try MaxMindFixtures.convert(original, toRecordSize: size)
            let database = try MaxMindDatabase(bytes: converted, source: "converted-\(size)")
            #expect(database.metadata.recordSize == size)
            #expect(converted.count == original.count + database.metadata.nodeCount * (size / 4 - 6))
            #expect(try MaxMindFixtures.convert(converted, toRecordSize: 24) == original)
        }
    }
}
