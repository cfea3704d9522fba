import Testing

@testable import Shared

/// Payloads the collector-payload tests share.
enum CollectorPayloadSamples {
    /// Every field set, as a Snowplow collector would record a POST.
    static let full = CollectorPayload(
        ipAddress: "203.0.113.7",
        timestamp: 1_719_000_000_123,
        collector: "ssc-3.4.0-kafkasink",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        refererUri: "https://shop.example.com/basket?step=2",
        path: "/com.snowplowanalytics.snowplow/tp2",
        querystring: "aid=shop&e=pv&url=https%3A%2F%2Fshop.example.com%2F",
        body: #"{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":[{"e":"pv","aid":"shop","p":"web","tv":"js-3.23.0","eid":"4b5a7a4e-1c3f-4f36-9e0c-9e7f2c1b8a11"}]}"#,
        headers: [
            "Host: collector.example.com", "User-Agent: Mozilla/5.0", "Accept: */*",
            "Cookie: sp=0a1b2c3d-0000-4000-8000-000000000001", "X-Forwarded-For: 203.0.113.7",
            "application/json",
        ],
        contentType: "application/json",
        hostname: "collector.example.com",
        networkUserId: "0a1b2c3d-0000-4000-8000-000000000001")

    /// Only the fields the collector always writes.
    static let minimal = CollectorPayload(ipAddress: "unknown", timestamp: 0, collector: "ssc-3.4.0-stdout")

    /// Unicode (multi-byte, astral, combining, NUL, RTL) in every string field.
    static let unicode = CollectorPayload(
        schema: CollectorPayload.defaultSchema,
        ipAddress: "2001:db8::1 — ünknown",
        timestamp: -1,
        encoding: "UTF-8 ✓",
        collector: "ssc-Ω-κάφκα",
        userAgent: "Agent 🦊/1.0 (日本語)",
        refererUri: "https://例え.jp/パス?q=ça",
        path: "/com.acme/ü",
        querystring: "x=\u{0}y&z=e\u{301}",
        body: "{\"text\":\"שלום עולם 👋🏽\"}",
        headers: ["X-Emoji: 🎉", "X-Greek: αβγ", ""],
        contentType: "text/plain; charset=ütf",
        hostname: "bücher.example",
        networkUserId: "ニックネーム")

    /// Empty strings and an empty list, which must stay present (not become absent).
    static let empties = CollectorPayload(
        schema: "", ipAddress: "", timestamp: Int64.min, encoding: "", collector: "",
        userAgent: "", refererUri: "", path: "", querystring: "", body: "", headers: [],
        contentType: "", hostname: "", networkUserId: "")

    /// 2 000 headers and a 1.5 MB body.
    static let large: CollectorPayload = {
        var payload = full
        payload.headers = (0..<2_000).map { "X-Header-\($0): value \($0)" }
        payload.body = String(repeating: "{\"e\":\"pv\",\"url\":\"https://example.com/ä\"},", count: 40_000)
        payload.timestamp = Int64.max
        return payload
    }()

    static let all: [CollectorPayload] = [full, minimal, unicode, empties, large]
    /// The samples by name, for parameterised tests (names keep test output short).
    static let named: [String: CollectorPayload] = [
        "full": full, "minimal": minimal, "unicode": unicode, "empties": empties, "large": large,
    ]
}

/// Deterministic pseudo-random numbers for fuzzing (SplitMix64), so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds Thrift binary bytes by hand, independently of the encoder under test.
struct ThriftBytes {
    var bytes: [UInt8] = []
    mutating func field(_ type: UInt8, _ id: Int16) {
        bytes.append(type)
        bytes += withUnsafeBytes(of: id.bigEndian, Array.init)
    }
    mutating func i32(_ value: Int32) { bytes += withUnsafeBytes(of: value.bigEndian, Array.init) }
    mutating func i64(_ value: Int64) { bytes += withUnsafeBytes(of: value.bigEndian, Array.init) }
    mutating func string(_ value: String) {
        i32(Int32(value.utf8.count))
        bytes += value.utf8
    }
    mutating func stringField(_ id: Int16, _ value: String) {
        field(11, id)
        string(value)
    }
    mutating func stop() { bytes.append(0) }

    /// The required fields, without the closing STOP.
    static func required() -> ThriftBytes {
        var thrift = ThriftBytes()
        thrift.stringField(100, "1.2.3.4")
        thrift.field(10, 200)
        thrift.i64(42)
        thrift.stringField(210, "UTF-8")
        thrift.stringField(220, "c")
        thrift.stringField(31337, CollectorPayload.defaultSchema)
        return thrift
    }
}

@Suite("CollectorPayload Thrift binary encoding")
struct CollectorPayloadThriftTests {
    @Test("round trip keeps every field", arguments: ["full", "minimal", "unicode", "empties", "large"])
    func roundTrip(sample: String) throws {
        let payload = try #require(CollectorPayloadSamples.named[sample])
        let bytes = payload.thriftBytes()
        #expect(bytes.count == payload.thriftEncodedSize)
        let decoded = try CollectorPayload.decode(thrift: bytes).get()
        #expect(decoded == payload)
        // Decoding then encoding again reproduces the bytes.
        #expect(decoded.thriftBytes() == bytes)
    }

    @Test("absent optional fields differ from empty ones on the wire")
    func absentVersusEmpty() throws {
        var empty = CollectorPayloadSamples.minimal
        empty.userAgent = ""
        empty.headers = []
        #expect(empty.thriftBytes() != CollectorPayloadSamples.minimal.thriftBytes())
        let decoded = try CollectorPayload.decode(thrift: empty.thriftBytes()).get()
        #expect(decoded.userAgent == "")
        #expect(decoded.headers == [])
        #expect(decoded.refererUri == nil)
        let minimal = try CollectorPayload.decode(thrift: CollectorPayloadSamples.minimal.thriftBytes()).get()
        #expect(minimal.userAgent == nil)
        #expect(minimal.headers == nil)
    }

    @Test("bytes are exactly TBinaryProtocol in ascending field-id order")
    func exactLayout() {
        var payload = CollectorPayloadSamples.minimal
        payload.ipAddress = "1.2.3.4"
        payload.timestamp = 42
        payload.collector = "c"
        payload.headers = ["a", "bc"]
        payload.networkUserId = "n"
        var expected = ThriftBytes()
        expected.stringField(100, "1.2.3.4")
        expected.field(10, 200)
        expected.i64(42)
        expected.stringField(210, "UTF-8")
        expected.stringField(220, "c")
        expected.field(15, 350)
        expected.bytes.append(11)
        expected.i32(2)
        expected.string("a")
        expected.string("bc")
        expected.stringField(410, "n")
        expected.stringField(31337, CollectorPayload.defaultSchema)
        expected.stop()
        #expect(payload.thriftBytes() == expected.bytes)
        var appended: [UInt8] = [9, 9]
        payload.appendThrift(to: &appended)
        #expect(appended == [9, 9] + expected.bytes)
    }

    @Test("fields in any order decode; a repeated field keeps its last value; trailing bytes are ignored")
    func fieldOrderAndRepeats() throws {
        var thrift = ThriftBytes()
        thrift.stringField(31337, CollectorPayload.defaultSchema)
        thrift.stringField(410, "first")
        thrift.stringField(220, "c")
        thrift.stringField(210, "UTF-8")
        thrift.field(10, 200)
        thrift.i64(-5)
        thrift.stringField(100, "ip")
        thrift.stringField(410, "second")
        thrift.stop()
        thrift.bytes += [0xFF, 0xFE]
        let payload = try CollectorPayload.decode(thrift: thrift.bytes).get()
        #expect(payload.networkUserId == "second")
        #expect(payload.timestamp == -5)
        #expect(payload.ipAddress == "ip")
    }

    @Test("every truncation is an error, never a crash")
    func truncation() {
        for payload in [CollectorPayloadSamples.full, CollectorPayloadSamples.unicode, CollectorPayloadSamples.empties] {
            let bytes = payload.thriftBytes()
            for length in 0..<bytes.count {
                let result = CollectorPayload.decode(thrift: bytes[..<length])
                guard case .failure(.truncated) = result else {
                    Issue.record("prefix of \(length)/\(bytes.count) bytes gave \(result)")
                    return
                }
            }
        }
    }

    @Test("unknown fields of every Thrift type are skipped")
    func unknownFieldsSkipped() throws {
        var thrift = ThriftBytes()
        thrift.field(2, 1); thrift.bytes.append(1)                      // bool
        thrift.field(3, 2); thrift.bytes.append(0x7F)                   // byte
        thrift.field(4, 3); thrift.i64(0x4009_21FB_5444_2D18)           // double
        thrift.field(6, 4); thrift.bytes += [0, 7]                      // i16
        thrift.field(8, 5); thrift.i32(-7)                              // i32
        thrift.field(10, -6); thrift.i64(7)                             // i64, negative id
        thrift.field(16, 7); thrift.bytes += [UInt8](repeating: 0xAB, count: 16)  // uuid
        thrift.stringField(8, "ignored")
        // struct { 1: map<string, list<i32>> {"k": [1, 2]}, 2: set<i64> {}, 3: struct { } }
        thrift.field(12, 500)
        thrift.field(13, 1); thrift.bytes += [11, 15]; thrift.i32(1)
        thrift.string("k"); thrift.bytes.append(8); thrift.i32(2); thrift.i32(1); thrift.i32(2)
        thrift.field(14, 2); thrift.bytes.append(10); thrift.i32(0)
        thrift.field(12, 3); thrift.stop()
        thrift.stop()
        // list<map<i16, string>> [{1: "x"}], and a map with fixed-width keys and values
        thrift.field(15, 600); thrift.bytes.append(13); thrift.i32(1)
        thrift.bytes += [6, 11]; thrift.i32(1); thrift.bytes += [0, 1]; thrift.string("x")
        thrift.field(13, 601); thrift.bytes += [8, 10]; thrift.i32(2); thrift.i32(1); thrift.i64(1); thrift.i32(2); thrift.i64(2)
        // A known id with a type other than the IDL's is skipped too, like the generated readers do.
        thrift.field(8, 300); thrift.i32(1)
        thrift.bytes += ThriftBytes.required().bytes
        thrift.stop()
        let payload = try CollectorPayload.decode(thrift: thrift.bytes).get()
        #expect(payload.ipAddress == "1.2.3.4")
        #expect(payload.timestamp == 42)
        #expect(payload.userAgent == nil)
    }

    @Test("missing required fields are rejected")
    func missingRequired() {
        for (id, name) in [(Int16(31337), "schema"), (100, "ipAddress"), (200, "timestamp"), (210, "encoding"), (220, "collector")] {
            var thrift = ThriftBytes()
            if id != 100 { thrift.stringField(100, "ip") }
            if id != 200 { thrift.field(10, 200); thrift.i64(1) }
            else { thrift.stringField(200, "not an i64") }  // wrong type: skipped, so still missing
            if id != 210 { thrift.stringField(210, "UTF-8") }
            if id != 220 { thrift.stringField(220, "c") }
            if id != 31337 { thrift.stringField(31337, CollectorPayload.defaultSchema) }
            thrift.stop()
            #expect(CollectorPayload.decode(thrift: thrift.bytes) == .failure(.missingRequiredField(id: id, name: name)))
        }
    }

    @Test("malformed input gives typed errors")
    func malformed() {
        var hugeString = ThriftBytes()
        hugeString.field(11, 100); hugeString.i32(Int32.max); hugeString.bytes += [1, 2, 3]
        #expect(CollectorPayload.decode(thrift: hugeString.bytes) == .failure(.truncated(offset: hugeString.bytes.count)))

        var negative = ThriftBytes()
        negative.field(11, 100); negative.i32(-1)
        #expect(CollectorPayload.decode(thrift: negative.bytes) == .failure(.negativeLength(offset: 3, length: -1)))

        var hugeList = ThriftBytes()
        hugeList.field(15, 350); hugeList.bytes.append(11); hugeList.i32(100_000_000); hugeList.string("a")
        #expect(CollectorPayload.decode(thrift: hugeList.bytes) == .failure(.truncated(offset: hugeList.bytes.count)))

        var hugeUnknownList = ThriftBytes()
        hugeUnknownList.field(15, 9); hugeUnknownList.bytes.append(12); hugeUnknownList.i32(Int32.max); hugeUnknownList.stop()
        #expect(CollectorPayload.decode(thrift: hugeUnknownList.bytes) == .failure(.truncated(offset: hugeUnknownList.bytes.count)))

        var wrongElements = ThriftBytes()
        wrongElements.field(15, 350); wrongElements.bytes.append(8); wrongElements.i32(1); wrongElements.i32(5)
        #expect(CollectorPayload.decode(thrift: wrongElements.bytes) == .failure(.wrongHeaderElementType(offset: 3, tag: 8)))

        var badType = ThriftBytes()
        badType.field(99, 7)
        #expect(CollectorPayload.decode(thrift: badType.bytes) == .failure(.unknownType(offset: 3, tag: 99)))

        var badElementType = ThriftBytes()
        badElementType.field(15, 7); badElementType.bytes.append(1); badElementType.i32(1); badElementType.bytes.append(0)
        #expect(CollectorPayload.decode(thrift: badElementType.bytes) == .failure(.unknownType(offset: 8, tag: 1)))

        #expect(CollectorPayload.decode(thrift: [UInt8]()) == .failure(.truncated(offset: 0)))
    }

    @Test("deeply nested unknown fields stop at the skip depth limit")
    func nestingLimit() throws {
        func nested(_ depth: Int) -> [UInt8] {
            var thrift = ThriftBytes()
            for _ in 0..<depth { thrift.field(12, 1) }
            for _ in 0..<depth { thrift.stop() }
            return thrift.bytes
        }
        var accepted = ThriftBytes.required()
        accepted.bytes += nested(CollectorPayload.maximumSkipDepth)
        accepted.stop()
        #expect(throws: Never.self) { try CollectorPayload.decode(thrift: accepted.bytes).get() }

        var rejected = ThriftBytes.required()
        rejected.bytes += nested(100_000)
        rejected.stop()
        guard case .failure(.nestingTooDeep) = CollectorPayload.decode(thrift: rejected.bytes) else {
            Issue.record("expected nestingTooDeep")
            return
        }
    }

    @Test("random bytes and mutated payloads never crash the decoder")
    func fuzz() {
        var random = SplitMix64(state: 0x5EED)
        let valid = CollectorPayloadSamples.full.thriftBytes()
        var decodedMutations = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            if case .success = CollectorPayload.decode(thrift: bytes) { decodedMutations += 1 }
        }
        // Most single-byte changes inside string contents still decode; the point is no crash.
        #expect(decodedMutations > 0)
    }

    @Test("invalid UTF-8 in a string is repaired with U+FFFD, as Java's Thrift library does")
    func invalidUTF8() throws {
        var thrift = ThriftBytes.required()
        thrift.field(11, 300); thrift.i32(3); thrift.bytes += [0x61, 0xFF, 0x62]
        thrift.stop()
        #expect(try CollectorPayload.decode(thrift: thrift.bytes).get().userAgent == "a\u{FFFD}b")
    }
}
