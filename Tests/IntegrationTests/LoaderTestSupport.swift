import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// One loader test's world: its own `enriched` and `bad` topics, consumer group and ClickHouse
/// database (dropped and deleted afterwards), a producer, and the loader executable started on them.
final class LoaderWorld: @unchecked Sendable {  // mutable state (`loaders`) is only touched by the test's task
    let enrichedTopic: String
    let badTopic: String
    let group: String
    let database: String
    let clickHouseURL: String
    let client: ClickHouseClient
    let producer: KafkaProducer
    private(set) var loaders: [RunningService] = []

    init(partitions: Int = 2, clickHouseURL: String = TestEnvironment.clickHouseURL) async throws {
        let name = TestEnvironment.uniqueName("loader")
        enrichedTopic = name + "_enriched"
        badTopic = name + "_bad"
        group = name + "_group"
        database = name
        self.clickHouseURL = clickHouseURL
        client = ClickHouseClient(configuration: ClickHouseConfiguration(url: clickHouseURL, database: "system", requestTimeout: .seconds(10)))
        let admin = try KafkaTestCluster.admin()
        try await admin.createTopic(enrichedTopic, partitions: partitions)
        try await admin.createTopic(badTopic, partitions: 1)
        producer = try KafkaTestCluster.producer()
    }

    /// Stops the loaders, deletes the topics and drops the database.
    func tearDown() async {
        for loader in loaders { loader.stop(signal: SIGKILL) }
        await producer.shutdown()
        let admin = try? KafkaTestCluster.admin()
        try? await admin?.deleteTopic(enrichedTopic)
        try? await admin?.deleteTopic(badTopic)
        try? await client.execute("DROP DATABASE IF EXISTS \(database)")
    }

    /// Produces `lines` to the enriched topic and waits for their delivery.
    func produce(_ lines: [String]) async throws {
        try await producer.send(lines.map { KafkaProducerRecord(topic: enrichedTopic, key: nil, value: $0) }).requireFullyDelivered()
    }

    /// Starts the loader on this world; `arguments` are added after the defaults (small batches, 200 ms
    /// delay, fast retries, Tansu-friendly group timeouts).
    @discardableResult
    func startLoader(_ arguments: [String] = [], group: String? = nil) throws -> RunningService {
        let loader = try RunningService.start("loader", arguments: [
            "--enriched-topic", enrichedTopic, "--bad-topic", badTopic, "--group-id", group ?? self.group,
            "--clickhouse-url", clickHouseURL, "--clickhouse-database", database,
            "--admin-port", "0", "--admin-host", "127.0.0.1", "--kafka-brokers", TestEnvironment.kafkaBrokers,
            "--kafka-property", "session.timeout.ms=6000,heartbeat.interval.ms=1000,max.poll.interval.ms=60000",
            "--batch-delay", "200ms", "--retry-max-backoff", "1s", "--log-level", "debug",
        ] + arguments)
        loaders.append(loader)
        return loader
    }

    /// Runs `loader migrate` for this world's database (to change the schema before loading).
    func migrate() throws {
        let output = try ChildProcess.run(RunningService.binary("loader"), ["migrate", "--clickhouse-url", clickHouseURL, "--clickhouse-database", database])
        guard output.status == 0 else { throw TestFailure("loader migrate failed: \(output.stderrText)") }
    }

    /// The first column of the first row of `sql`.
    func scalar(_ sql: String) async throws -> String? {
        try await client.query(sql).tabSeparatedRows().first?.first ?? nil
    }

    /// Polls `sql` (a single number) until it equals `expected` or `timeout` passes; returns the last value.
    @discardableResult
    func waitFor(_ sql: String, toBe expected: Int, timeout: Duration = .seconds(60), loader: RunningService? = nil) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var last = -1
        while ContinuousClock.now < deadline {
            if let text = try? await scalar(sql), let value = Int(text) {
                last = value
                if value == expected { return value }
            }
            if let loader, !loader.process.isRunning { throw TestFailure("the loader exited: \(loader.log)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    /// Polls the group's committed total until it reaches `expected` (bounded); returns the last total.
    func waitForCommitted(_ expected: Int64, group: String? = nil, timeout: Duration = .seconds(30)) async throws -> Int64 {
        let deadline = ContinuousClock.now + timeout
        var last: Int64 = -1
        while ContinuousClock.now < deadline {
            last = try await committedTotal(group: group)
            if last == expected { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    /// The offsets the loaders' group committed on the enriched topic, summed over partitions.
    func committedTotal(group: String? = nil) async throws -> Int64 {
        let consumer = try KafkaTestCluster.consumer(group: group ?? self.group)
        // Generous timeouts: under a loaded test run the broker can take seconds to answer; a timeout here
        // would fail the test for the machine's sake, not the loader's.
        let metadata = try await KafkaTestCluster.admin().topicMetadata(enrichedTopic, timeout: .seconds(30))
        let committed = try await consumer.committedOffsets(
            topic: enrichedTopic, partitions: metadata?.partitions ?? [], timeout: .seconds(30))
        try await consumer.close()
        return committed.values.reduce(0) { $0 + ($1 ?? 0) }
    }
}

/// Enriched events for the loader tests, built with the shared model and written as TSV.
enum LoaderFixtures {
    static func uuid(_ seed: Int) -> String {
        String(format: "%08x-0000-4000-8000-%012x", seed & 0xFFFF_FFFF, seed)
    }

    /// A page view with the usual fields set; `index` varies ids and times.
    static func pageView(_ index: Int, app: String = "test-app", at base: String = "2025-03-01 10:00:00.000") -> EnrichedEvent {
        var event = EnrichedEvent()
        let time = SnowplowTimestamp(tsv: base)!.millisecondsSinceEpoch + Int64(index) * 1_000 + 123
        event.appId = app
        event.platform = "web"
        event.collectorTstamp = SnowplowTimestamp(millisecondsSinceEpoch: time)
        event.derivedTstamp = SnowplowTimestamp(millisecondsSinceEpoch: time - 7)
        event.etlTstamp = SnowplowTimestamp(millisecondsSinceEpoch: time + 1500)
        event.event = "page_view"
        event.eventId = uuid(index + 1)
        event.domainUserid = "visitor-\(index % 7)"
        event.domainSessionid = "session-\(index % 11)"
        event.pageUrl = "https://www.example.com/page/\(index % 5)"
        event.pageUrlhost = "www.example.com"
        event.pageUrlpath = "/page/\(index % 5)"
        event.vCollector = "freshet-collector-0.1.0"
        event.vEtl = "freshet-enricher-0.1.0"
        return event
    }
}
