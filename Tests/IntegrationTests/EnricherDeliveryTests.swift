import Foundation
import FreshetTestSupport
import Logging
import Testing

@testable import Shared

/// The enricher executable against the real local Kafka: output of every input event, SIGKILL in the
/// middle of the stream and restart, and the offline mode on the same payloads. The payloads are the
/// benchmark's realistic mix (`bench/enricher_payloads.py`, encoded by the `thrift` library).
@Suite(.serialized) struct EnricherDeliveryTests {
    /// Writes `count` payload log lines with the benchmark generator; returns the file.
    static func payloadFile(count: Int, seed: Int) throws -> String {
        let path = NSTemporaryDirectory() + TestEnvironment.uniqueName("enricher_payloads") + ".log"
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("bench/enricher_payloads.py").path
        let run = try ChildProcess.run(TestEnvironment.python, [script, String(count), path, String(seed)])
        #expect(run.status == 0, "\(run.stderrText)")
        return path
    }

    /// The Thrift records of a log file.
    static func records(in file: String) throws -> [[UInt8]] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { try Base64.decode(Array($0.utf8)).get() }
    }

    /// Runs `enricher file` over `input`; returns the enriched lines and bad rows.
    static func runOffline(_ input: String, extra: [String] = []) throws -> (tsv: [String], bad: [String]) {
        let output = input + ".tsv", bad = input + ".bad.jsonl"
        let run = try ChildProcess.run(
            RunningService.binary("enricher"), ["file", "--input", input, "--output", output, "--bad", bad] + extra)
        #expect(run.status == 0, "\(run.stderrText)")
        let tsv = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        let badRows = try String(contentsOfFile: bad, encoding: .utf8).split(separator: "\n").map(String.init)
        return (tsv, badRows)
    }

    /// A folder with the enrichments' data: the referer database from PyPI (`scripts/fetch-referers.py`)
    /// and uap-core rules (`scripts/fetch-uap-rules.py`), and a GeoLite2 City database (the bootstrap's real one, else MaxMind's test database).
    static func assetsDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + TestEnvironment.uniqueName("enricher_assets")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/fetch-referers.py").path
        let fetched = try ChildProcess.run(TestEnvironment.python, [script, directory])
        #expect(fetched.status == 0, "\(fetched.stderrText)")
        let rules = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/fetch-uap-rules.py").path
        let fetchedRules = try ChildProcess.run(TestEnvironment.python, [rules, directory])
        #expect(fetchedRules.status == 0, "\(fetchedRules.stderrText)")
        let root = TestEnvironment.repositoryRoot.path
        let candidates = [
            root + "/.stack/data/enrichments/GeoLite2-City.mmdb", "/work/main/.stack/data/enrichments/GeoLite2-City.mmdb",
            root + "/../shared/testdata/maxmind/test-data/GeoLite2-City-Test.mmdb", "/work/shared/testdata/maxmind/test-data/GeoLite2-City-Test.mmdb",
        ]
        let geo = try #require(candidates.first { FileManager.default.fileExists(atPath: $0) }, "no GeoLite2 City database")
        try FileManager.default.createSymbolicLink(atPath: directory + "/GeoLite2-City.mmdb", withDestinationPath: geo)
        return directory
    }

    /// The `event_id` column of a TSV line.
    static func eventID(_ line: String) -> String {
        String(line.split(separator: "\t", omittingEmptySubsequences: false)[6])
    }

    @Test func offlineModeEnrichesEveryEventAndEveryLineParsesWithTheAnalyticsSDK() throws {
        let input = try Self.payloadFile(count: 500, seed: 7)
        // Expected events: one per GET payload, one per element of each POST batch.
        let expected = try Self.records(in: input).reduce(0) { count, record in
            let payload = try CollectorPayload.decode(thrift: record).get()
            guard let body = payload.body else { return count + 1 }
            return count + body.components(separatedBy: #""e":"ue""#).count - 1
        }
        // Two lines that are not payloads and one unknown vendor, appended.
        let handle = try #require(FileHandle(forWritingAtPath: input))
        try handle.seekToEnd()
        let unknownVendor = CollectorPayload(ipAddress: "1.2.3.4", timestamp: 1_700_000_000_000, collector: "c", path: "/com.acme/v1", querystring: "a=1")
        handle.write(Data("not base64 at all!\n\(Base64String.of("garbage"))\n".utf8))
        handle.write(Data(CollectorPayloadLogLine.encode(unknownVendor)))
        try handle.close()

        let enrichments = TestEnvironment.repositoryRoot.appendingPathComponent("deploy/enrichments").path
        let assets = try Self.assetsDirectory()
        let (tsv, bad) = try Self.runOffline(input, extra: ["--enrichments", enrichments, "--enrichment-assets", assets])
        #expect(tsv.count == expected, "every valid event is enriched (\(bad.count) bad rows: \(bad.prefix(2)))")
        #expect(Set(tsv.map(Self.eventID)).count == tsv.count)
        let kinds = bad.compactMap { BadRowSummary(json: $0)?.kind }
        #expect(kinds.sorted { $0.rawValue < $1.rawValue } == [.adapterFailures, .collectorPayloadFormatViolation, .collectorPayloadFormatViolation])
        #expect(tsv.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 131 })
        #expect(tsv.contains { $0.contains("\tsearch\tGoogle\t") }, "the referer parser ran")
        #expect(tsv.contains { $0.contains("\temail\t") || $0.contains("\tnewsletter\t") }, "campaign/referer fields are filled")

        // Oracle: Snowplow's Python Analytics SDK parses every line.
        let script = #"""
            import sys, json
            from snowplow_analytics_sdk import event_transformer
            ok = 0
            for line in sys.stdin.read().split("\n"):
                if not line: continue
                event = event_transformer.transform(line)
                assert event["event_id"] and event["collector_tstamp"], line
                ok += 1
            print(ok)
            """#
        let sdk = try ChildProcess.python(script, input: Data(tsv.joined(separator: "\n").utf8))
        #expect(sdk.status == 0, "\(sdk.stderrText.suffix(2000))")
        #expect(sdk.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == String(tsv.count))
    }

    @Test func sigkillMidStreamAndRestartLosesNoEvent() async throws {
        let input = try Self.payloadFile(count: 4000, seed: 11)
        let records = try Self.records(in: input)
        let expected = try Self.runOffline(input).tsv.map(Self.eventID)
        let admin = try KafkaTestCluster.admin()
        let raw = TestEnvironment.uniqueName("enricher_raw"), enriched = TestEnvironment.uniqueName("enricher_good")
        let bad = TestEnvironment.uniqueName("enricher_bad")
        for topic in [raw, enriched, bad] { #expect(try await admin.createTopic(topic, partitions: 3)) }
        defer { Task { for topic in [raw, enriched, bad] { try? await admin.deleteTopic(topic) } } }

        let producer = try KafkaTestCluster.producer()
        try await producer.send(records.map { KafkaProducerRecord(topic: raw, key: nil, value: $0) }).requireFullyDelivered()
        await producer.shutdown()

        let environment = [
            "FRESHET_ADMIN_PORT": "0", "FRESHET_KAFKA_BROKERS": TestEnvironment.kafkaBrokers, "FRESHET_RAW_TOPIC": raw,
            "FRESHET_ENRICHED_TOPIC": enriched, "FRESHET_BAD_TOPIC": bad, "FRESHET_GROUP_ID": TestEnvironment.uniqueName("enricher"),
            "FRESHET_BATCH_SIZE": "50", "FRESHET_KAFKA_PROPERTY": "session.timeout.ms=6000,heartbeat.interval.ms=1000,auto.commit.interval.ms=500",
            // Visitor profiles are on by default: keep this run's keys apart in the shared Redis.
            "FRESHET_REDIS_HOST": TestEnvironment.redisHost, "FRESHET_REDIS_PORT": String(TestEnvironment.redisPort),
            "FRESHET_PROFILE_KEY_PREFIX": TestEnvironment.uniqueName("profile") + ":",
        ]
        let reader = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("enricher_reader"))
        try reader.subscribe(topics: [enriched])
        var seen: [String] = []

        // First run: killed with SIGKILL once some (not all) output is there.
        let first = try RunningService.start("enricher", environment: environment)
        while seen.count < expected.count / 4 {
            for record in try await reader.poll() { seen.append(Self.eventID(String(decoding: record.value, as: UTF8.self))) }
        }
        _ = first.stop(signal: SIGKILL)
        let beforeKill = seen.count
        #expect(beforeKill < expected.count, "the kill happened mid-stream")

        // Second run: finishes the stream.
        let second = try RunningService.start("enricher", environment: environment)
        let deadline = ContinuousClock.now + .seconds(120)
        while Set(seen).count < expected.count, ContinuousClock.now < deadline {
            for record in try await reader.poll() { seen.append(Self.eventID(String(decoding: record.value, as: UTF8.self))) }
        }
        #expect(second.stop(signal: SIGTERM) == 0, "\(second.log.suffix(2000))")
        try await reader.close()

        let missing = Set(expected).subtracting(seen)
        #expect(missing.isEmpty, "no event lost: \(missing.count) of \(expected.count) missing")
        let duplicates = seen.count - Set(seen).count
        // Without the visitor-profile dedupe, a restart re-sends what was produced but not yet committed:
        // bounded by the batches the first run had in flight plus those since its last commit.
        print("enricher SIGKILL test: \(expected.count) events, \(beforeKill) before the kill, \(duplicates) re-delivered after restart")
        #expect(Set(seen) == Set(expected), "exactly the input's events, nothing else")
    }
}

/// Base64 of a string, for crafting log lines.
enum Base64String {
    static func of(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}
