import Testing

@testable import Shared

@Suite("Collector payload format checks (enrich ThriftLoader)")
struct CollectorPayloadFormatValidationTests {
    @Test("paths: (/)vendor/version(/) or a legacy pixel request")
    func paths() {
        let accepted: [(String, String, String)] = [
            ("/com.snowplowanalytics.snowplow/tp2", "com.snowplowanalytics.snowplow", "tp2"),
            ("com.acme/v1", "com.acme", "v1"), ("/com.acme/v1/", "com.acme", "v1"), ("/r/tp2", "r", "tp2"),
            ("/ice.png/x", "ice.png", "x"), ("/ü/ß", "ü", "ß"),
        ]
        for (path, vendor, version) in accepted {
            #expect(CollectorPayload.API(path: path) == .init(vendor: vendor, version: version), "\(path)")
        }
        for legacy in ["/i", "/i?e=pv", "/ice.png", "/ice.png?x=1"] {
            #expect(CollectorPayload.API(path: legacy) == .trackerProtocol1, "\(legacy)")
        }
        for rejected in ["", "/", "//", "/a", "/a/", "a/", "//a/b", "/a/b//", "/a/b/c", "/a//b", "i", "/i/", "/health"] {
            #expect(CollectorPayload.API(path: rejected) == nil, "\(rejected)")
        }
    }

    @Test("network user ids: what Java's UUID.fromString accepts")
    func networkUserIds() {
        for accepted in ["0a1b2c3d-0000-4000-8000-000000000001", "00000000-0000-0000-0000-000000000000",
                         "ABCDEF01-2345-6789-ABCD-EF0123456789", "1-2-3-4-5", "+1-2-3-4-5", "7fffffffffffffff-0-0-0-0"] {
            #expect(CollectorPayload.isAcceptedNetworkUserId(accepted), "\(accepted)")
        }
        for rejected in ["", "not-a-uuid", "0a1b2c3d00004000800000000000000001", "1-2-3-4", "1-2-3-4-5-6", "1--3-4-5",
                         "g-2-3-4-5", "0a1b2c3d-0000-4000-8000-0000000000011", "8000000000000000-0-0-0-0",
                         " 1-2-3-4-5", "1-2-3-4-５"] {
            #expect(!CollectorPayload.isAcceptedNetworkUserId(rejected), "\(rejected)")
        }
    }

    @Test("schema: CollectorPayload/thrift/1-0-*")
    func schemas() {
        for accepted in [CollectorPayload.defaultSchema, "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-7",
                         "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-2147483647"] {
            #expect(CollectorPayload.isAcceptedSchema(accepted), "\(accepted)")
        }
        for rejected in ["", "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-1-0",
                         "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/2-0-0",
                         "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-01",
                         "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-",
                         "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0 ",
                         "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-2147483648",
                         "iglu:com.acme/CollectorPayload/thrift/1-0-0",
                         "iglu:com.snowplowanalytics.snowplow/CollectorPayload/jsonschema/1-0-0"] {
            #expect(!CollectorPayload.isAcceptedSchema(rejected), "\(rejected)")
        }
    }

    @Test("checkFormat returns the API, or every violation in enrich's order with enrich's wording")
    func checkFormat() throws {
        #expect(try CollectorPayloadSamples.full.checkFormat().get() == .init(vendor: "com.snowplowanalytics.snowplow", version: "tp2"))
        var payload = CollectorPayloadSamples.full
        payload.path = "/nope"
        payload.networkUserId = "xyz"
        payload.schema = "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/2-0-0"
        let violations = CollectorPayloadFormatViolations([
            .invalidPath("/nope"), .invalidNetworkUserId("xyz"),
            .unexpectedSchema("iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/2-0-0"),
        ])
        #expect(payload.checkFormat() == .failure(violations))
        #expect(violations.violations[1].message == .inputData(field: "networkUserId", value: "xyz", expectation: "not valid UUID"))
        #expect(violations.violations[2].message == .fallback(
            "verifying record as iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-* failed: found iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/2-0-0"))
        #expect(violations.violations.allSatisfy { $0.loader == "thrift" })
        #expect(CollectorPayloadSamples.minimal.checkFormat() == .failure(.init([.missingPath])))
    }
}
