import Foundation
import FreshetTestSupport
import Logging
import Testing

@testable import Shared

/// The enricher service with visitor profiles on (the default) against the real local Kafka and Redis:
/// every event with a visitor carries the `iglu:io.freshet/visitor/jsonschema/1-0-0` context, events
/// re-delivered after a SIGKILL are recognised as the same Kafka records (neither dropped, flagged nor
/// counted twice, even with `--duplicates drop`), and with `--duplicates drop` a repeated input comes
/// out once. Each test uses its own key prefix in Redis and its own topics.
@Suite(.serialized) struct EnricherVisitorProfileTests {
    /// One enriched line's event id, whether it has a visitor id, and its visitor context (if any).
    struct Line {
        var eventID: String
        var hasVisitor: Bool
        /// `domain_userid`, else `network_userid` (the profile's visitor id).
        var visitorID: String?
        var visitor: JSONValue?

        init(_ text: String) throws {
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            eventID = fields[6]
            hasVisitor = !fields[15].isEmpty || !(fields[17].isEmpty || fields[17] == "00000000-0000-0000-0000-000000000000")
            visitorID = !fields[15].isEmpty ? fields[15] : (hasVisitor ? fields[17] : nil)
            visitor = nil
            if !fields[122].isEmpty {
                let derived = try JSONParser().parse(fields[122]).get()
                guard case .array(let entities) = derived["data"] ?? .null else { return }
                for entity in entities where entity["schema"] == .string("iglu:io.freshet/visitor/jsonschema/1-0-0") {
                    visitor = entity["data"]
                }
            }
        }

        var isFlaggedDuplicate: Bool { visitor?["duplicate"] == .bool(true) }
    }

    static func environment(raw: String, enriched: String, bad: String, prefix: String) -> [String: String] {
        [
            "FRESHET_ADMIN_PORT": "0", "FRESHET_KAFKA_BROKERS": TestEnvironment.kafkaBrokers, "FRESHET_RAW_TOPIC": raw,
            "FRESHET_ENRICHED_TOPIC": enriched, "FRESHET_BAD_TOPIC": bad, "FRESHET_GROUP_ID": TestEnvironment.uniqueName("enricher"),
            "FRESHET_BATCH_SIZE": "50", "FRESHET_KAFKA_PROPERTY": "session.timeout.ms=6000,heartbeat.interval.ms=1000,auto.commit.interval.ms=500",
            "FRESHET_REDIS_HOST": TestEnvironment.redisHost, "FRESHET_REDIS_PORT": String(TestEnvironment.redisPort),
            "FRESHET_PROFILE_KEY_PREFIX": prefix,
        ]
    }

    /// Creates the three topics and fills `raw` with `records`.
    static func topics(_ records: [[UInt8]]) async throws -> (raw: String, enriched: String, bad: String, admin: KafkaAdmin) {
        let admin = try KafkaTestCluster.admin()
        let raw = TestEnvironment.uniqueName("enricher_raw"), enriched = TestEnvironment.uniqueName("enricher_good")
        let bad = TestEnvironment.uniqueName("enricher_bad")
        for topic in [raw, enriched, bad] { #expect(try await admin.createTopic(topic, partitions: 3)) }
        let producer = try KafkaTestCluster.producer()
        try await producer.send(records.map { KafkaProducerRecord(topic: raw, key: nil, value: $0) }).requireFullyDelivered()
        await producer.shutdown()
        return (raw, enriched, bad, admin)
    }

    /// The sum of the samples of `name` on the service's `/metrics`.
    static func metric(_ name: String, adminPort: Int) throws -> Double {
        let output = try ChildProcess.run("/usr/bin/curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(adminPort)/metrics"])
        var sum = 0.0
        for line in output.stdoutText.split(separator: "\n") where line.hasPrefix(name + " ") || line.hasPrefix(name + "{") {
            sum += Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return sum
    }

    @Test func sigkillAndRestartUnderDropLosesNothingAndCountsNothingTwice() async throws {
        let input = try EnricherDeliveryTests.payloadFile(count: 4000, seed: 13)
        let records = try EnricherDeliveryTests.records(in: input)
        let expected = try EnricherDeliveryTests.runOffline(input).tsv.map(EnricherDeliveryTests.eventID)
        let (raw, enriched, bad, admin) = try await Self.topics(records)
        defer { Task { for topic in [raw, enriched, bad] { try? await admin.deleteTopic(topic) } } }
        var environment = Self.environment(raw: raw, enriched: enriched, bad: bad, prefix: TestEnvironment.uniqueName("profile") + ":")
        environment["FRESHET_DUPLICATES"] = "drop"

        let reader = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("enricher_reader"))
        try reader.subscribe(topics: [enriched])
        var seen: [Line] = []
        let first = try RunningService.start("enricher", environment: environment)
        while seen.count < expected.count / 4 {
            for record in try await reader.poll() { seen.append(try Line(String(decoding: record.value, as: UTF8.self))) }
        }
        _ = first.stop(signal: SIGKILL)
        #expect(seen.count < expected.count, "the kill happened mid-stream")

        let second = try RunningService.start("enricher", environment: environment)
        let deadline = ContinuousClock.now + .seconds(120)
        while Set(seen.map(\.eventID)).count < expected.count, ContinuousClock.now < deadline {
            for record in try await reader.poll() { seen.append(try Line(String(decoding: record.value, as: UTF8.self))) }
        }
        #expect(second.stop(signal: SIGTERM) == 0, "\(second.log.suffix(2000))")
        try await reader.close()

        #expect(Set(seen.map(\.eventID)) == Set(expected), "no event lost, nothing else")
        let withVisitor = seen.filter(\.hasVisitor)
        #expect(!withVisitor.isEmpty)
        #expect(withVisitor.allSatisfy { $0.visitor != nil }, "every event with a visitor id carries the visitor context")
        #expect(seen.filter { !$0.hasVisitor }.allSatisfy { $0.visitor == nil })
        // Events the first run recorded in Redis — whether or not their productions were acknowledged
        // before the kill — come back from the same Kafka records: recognised, so under `drop` none is
        // lost (checked above), none is flagged, and no visitor's events are counted twice: the highest
        // eventCount a visitor reaches is its number of distinct events.
        #expect(withVisitor.filter(\.isFlaggedDuplicate).isEmpty, "a re-delivered record is not a duplicate")
        var distinct: [String: Set<String>] = [:]
        var highest: [String: Int] = [:]
        for line in withVisitor {
            guard let visitor = line.visitorID, case .number(let count)? = line.visitor?["eventCount"] else { continue }
            distinct[visitor, default: []].insert(line.eventID)
            highest[visitor] = max(highest[visitor] ?? 0, Int(count.doubleValue ?? 0))
        }
        #expect(!highest.isEmpty)
        let overCounted = highest.filter { $0.value != distinct[$0.key]?.count }
        #expect(overCounted.isEmpty, "event counts equal distinct events per visitor: \(overCounted.prefix(5))")
        let repeated = withVisitor.count - Set(withVisitor.map(\.eventID)).count
        print("enricher profile SIGKILL test: \(expected.count) events, \(repeated) re-delivered, none flagged or dropped")
    }

    @Test func repeatedInputComesOutOnceWhenDuplicatesAreDropped() async throws {
        let input = try EnricherDeliveryTests.payloadFile(count: 1000, seed: 17)
        let records = try EnricherDeliveryTests.records(in: input)
        let expected = try EnricherDeliveryTests.runOffline(input).tsv.map(EnricherDeliveryTests.eventID)
        #expect(Set(expected).count == expected.count)
        // Every payload twice: the second copy of each event is a duplicate.
        let (raw, enriched, bad, admin) = try await Self.topics(records + records)
        defer { Task { for topic in [raw, enriched, bad] { try? await admin.deleteTopic(topic) } } }
        var environment = Self.environment(raw: raw, enriched: enriched, bad: bad, prefix: TestEnvironment.uniqueName("profile") + ":")
        environment["FRESHET_DUPLICATES"] = "drop"

        let service = try RunningService.start("enricher", environment: environment)
        let adminPort = try service.adminPort()
        let deadline = ContinuousClock.now + .seconds(120)
        var dropped = 0.0, sent = 0.0
        while ContinuousClock.now < deadline {
            dropped = try Self.metric("freshet_enricher_duplicates_dropped_total", adminPort: adminPort)
            sent = try Self.metric(#"freshet_records_sent_total{service="enricher",sink="enriched"}"#, adminPort: adminPort)
            if dropped + sent >= Double(2 * expected.count) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let assigned = try Self.metric("freshet_kafka_assigned_partitions", adminPort: adminPort)

        let reader = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("enricher_reader"))
        try reader.subscribe(topics: [enriched])
        var seen: [Line] = []
        while Set(seen.map(\.eventID)).count < expected.count, ContinuousClock.now < deadline {
            for record in try await reader.poll() { seen.append(try Line(String(decoding: record.value, as: UTF8.self))) }
        }
        try await reader.close()
        // (Read before stopping: leaving the group at shutdown revokes the partitions too.)
        let revokedMidRun = service.log.contains("Kafka partitions revoked")
        #expect(service.stop(signal: SIGTERM) == 0, "\(service.log.suffix(2000))")
        #expect(Set(seen.map(\.eventID)) == Set(expected), "every event, nothing else")
        #expect(seen.allSatisfy { !$0.isFlaggedDuplicate })
        // Exactly once unless the group took the partitions back: when the broker stalls past the session
        // timeout (seen under CI load), the uncommitted records go to the next assignment and come out
        // again — at least once, by design — as re-deliveries: neither flagged nor dropped.
        if revokedMidRun {
            #expect(dropped >= Double(expected.count), "one copy of each event dropped, re-deliveries aside")
            #expect(sent >= Double(expected.count))
            print("enricher drop test: partitions were revoked mid-run; \(Int(sent)) sent for \(expected.count) events")
        } else {
            #expect(dropped == Double(expected.count), "one copy of each event dropped")
            #expect(sent == Double(expected.count))
            #expect(seen.count == expected.count, "each event exactly once")
            #expect(assigned == 3, "the only member of its group owns all three partitions of `raw`")
        }
    }
}
