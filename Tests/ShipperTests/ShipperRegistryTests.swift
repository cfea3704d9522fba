import Foundation
import Testing

@testable import Shared
@testable import Shipper

@Suite struct ShipperRegistryTests {
    let fingerprint = FileFingerprint(
        device: 2049, inode: 131_077, prefixLength: 1024, prefixHash: 0x9e37_79b9_7f4a_7c15)

    @Test func roundTripsAndKeeps64BitHashes() throws {
        var registry = ShipperRegistry()
        registry.files = [.init(fingerprint: fingerprint, offset: 81_920, path: "/var/log/freshet/c-w0.log")]
        let data = try registry.encoded()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""prefixHash":"9e3779b97f4a7c15""#))
        #expect(text.contains(#""version":1"#))
        let decoded = try ShipperRegistry.decode(data)
        #expect(decoded == registry)
        #expect(decoded.files[0].fingerprint == fingerprint)
    }

    @Test func refusesOtherVersionsAndDamage() {
        #expect(throws: FreshetError.self) { try ShipperRegistry.decode(Data(#"{"version":2,"files":[]}"#.utf8)) }
        #expect(throws: FreshetError.self) { try ShipperRegistry.decode(Data("{".utf8)) }
        #expect(throws: FreshetError.self) {
            try ShipperRegistry.decode(
                Data(
                    #"{"version":1,"files":[{"device":1,"inode":2,"prefixLength":3,"prefixHash":"zz","offset":4,"path":"p"}]}"#
                        .utf8))
        }
    }

    @Test func storeWritesAtomicallyAndLocks() throws {
        let directory = NSTemporaryDirectory() + "freshet-registry-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try RegistryStore(path: directory + "/registry.json")
        #expect(try store.load() == ShipperRegistry())
        var registry = ShipperRegistry()
        registry.files = [.init(fingerprint: fingerprint, offset: 1, path: "a")]
        try store.write(registry)
        #expect(try store.load() == registry)
        #expect(
            !FileManager.default.fileExists(atPath: directory + "/registry.json.tmp"), "the temporary file was renamed")
        let error = try #require(throws: FreshetError.self) { try RegistryStore(path: directory + "/registry.json") }
        #expect(error.code == .shipperDirectoryLocked)
    }
}

@Suite struct LineEncoderTests {
    let encoder = LineEncoder(codec: .collectorPayload, key: .networkUserId, topic: "raw", badTopic: "bad")

    func encode(_ line: [UInt8]) -> (LineEncoder.Outcome, KafkaProducerRecord) {
        var records: [KafkaProducerRecord] = []
        let outcome = line.withUnsafeBytes { encoder.encode($0, into: &records) }
        return (outcome, records[0])
    }

    @Test func shipsTheThriftBytesKeyedByNetworkUserId() throws {
        var payload = CollectorPayload(
            schema: "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0", ipAddress: "1.2.3.4",
            timestamp: 1, encoding: "UTF-8", collector: "c")
        payload.path = "/i"
        payload.querystring = "e=pv"
        payload.networkUserId = "0b5f4a3e-2d1c-4b0a-9f8e-7d6c5b4a3f2e"
        let line = CollectorPayloadLogLine.encode(payload).dropLast()
        let (outcome, record) = encode(Array(line))
        #expect(outcome == .record)
        #expect(record.topic == "raw")
        #expect(record.value == payload.thriftBytes())
        #expect(record.key == Array("0b5f4a3e-2d1c-4b0a-9f8e-7d6c5b4a3f2e".utf8))
        payload.networkUserId = nil
        #expect(encode(Array(CollectorPayloadLogLine.encode(payload).dropLast())).1.key == nil)
    }

    @Test func collectorBadRowsGoToTheBadTopicAsTheyAre() {
        let line = Array(
            #"{"schema":"iglu:com.snowplowanalytics.snowplow.badrows/size_violation/jsonschema/1-0-0","data":{}}"#.utf8)
        let (outcome, record) = encode(line)
        #expect(outcome == .badRow)
        #expect(record.topic == "bad" && record.value == line)
    }

    @Test func undecodableLinesBecomeFormatViolations() throws {
        for line in ["not base64!", "QUJD", ""] {  // bad alphabet, base64 of "ABC" (not Thrift), empty
            let (outcome, record) = encode(Array(line.utf8))
            #expect(outcome == .badRow)
            #expect(record.topic == "bad")
            let json = String(decoding: record.value, as: UTF8.self)
            #expect(json.contains("collector_payload_format_violation"), "\(json)")
            #expect(json.contains(#""loader":"thrift""#))
            #expect(json.contains(#""payload":"\#(line)""#))
        }
    }

    @Test func networkUserIdScanAgreesWithTheDecoder() throws {
        var payload = CollectorPayload(schema: "s", ipAddress: "i", timestamp: 1, encoding: "e", collector: "c")
        payload.headers = ["A: b", "C: d"]
        payload.networkUserId = "id"
        let bytes = payload.thriftBytes()
        let range = try bytes.withUnsafeBytes { try CollectorPayload.networkUserIdRange(inThrift: $0).get() }
        #expect(range.map { String(decoding: bytes[$0], as: UTF8.self) } == "id")
        for cut in [1, 10, bytes.count - 1] {  // truncated payloads fail in both
            let prefix = Array(bytes.prefix(cut))
            let scan = prefix.withUnsafeBytes { CollectorPayload.networkUserIdRange(inThrift: $0) }
            guard case .failure = scan else { Issue.record("accepted a payload cut at \(cut)"); continue }
            guard case .failure = CollectorPayload.decode(thrift: prefix) else {
                Issue.record("decoder accepted it"); continue
            }
        }
    }
}
