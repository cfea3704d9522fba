import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// Kafka stopped and restarted while lines keep arriving, on a private Tansu broker.
///
/// What "nothing lost" can mean here: Tansu keeps its data in memory, so the restarted broker is empty
/// — the lines it acknowledged before it died are gone with it, and no shipper can bring them back
/// (with Apache Kafka they would still be on disk and on the replicas). What the shipper promises, and
/// what this test checks, is its own part: (1) while the broker is away reading pauses, the records
/// held in memory stay within the in-flight limit, and `/ready` says Kafka is unreachable; (2) once the
/// broker is back, every line that was *not* acknowledged before the outage — written during the
/// outage or after it — is delivered, with nothing skipped; (3) the shipper did not need a restart.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ShipperKafkaOutageTests {
    @Test func kafkaStoppedAndRestartedWhileLinesKeepArriving() async throws {
        let broker = try await TansuProcess()
        let raw = TestEnvironment.uniqueName("shipper_outage_raw"),
            bad = TestEnvironment.uniqueName("shipper_outage_bad")
        try await broker.createTopic(raw, partitions: 3)
        try await broker.createTopic(bad, partitions: 1)
        let directory = try shipperTestDirectory("outage")
        let maxInFlight = 500, batch = 100
        let shipper = try ShipperUnderTest(
            inputs: [directory + "/*.log"], topic: raw, badTopic: bad, registry: directory + "-registry.json",
            brokers: broker.brokers,
            arguments: [
                "--max-in-flight-records", "\(maxInFlight)", "--batch-records", "\(batch)", "--delivery-timeout", "3s",
            ])
        let writer = CollectorLineWriter(directory: directory, source: "outage")
        FileManager.default.createFile(atPath: writer.activePath, contents: nil)

        // Before the outage: acknowledged by the first broker.
        try writer.writeNow(0..<1000)
        #expect(eventually { shipper.recordsAcknowledged >= 1000 }, "shipped before the outage")

        broker.stop()
        // Lines keep arriving while Kafka is down: far more than the in-flight limit.
        for start in stride(from: 1000, to: 4000, by: 250) {
            try writer.writeNow(start..<(start + 250))
            let held = shipper.linesRead - shipper.recordsAcknowledged
            #expect(held <= Double(maxInFlight + batch), "memory bounded: \(held) records held while Kafka is down")
        }
        #expect(
            eventually { shipper.linesRead - 1000 >= Double(maxInFlight) },
            "the shipper fills its in-flight window, then pauses")
        let held = shipper.linesRead - shipper.recordsAcknowledged
        #expect(held <= Double(maxInFlight + batch), "reading paused: \(held) records held while Kafka is down")
        #expect(shipper.linesRead < 4000, "lines beyond the window were not read yet")
        let ready = try ChildProcess.run(
            "/usr/bin/curl",
            ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(shipper.adminPort)/ready"])
        #expect(ready.stdoutText == "503", "/ready reports Kafka unreachable")
        #expect(shipper.service.process.isRunning)

        // The broker comes back empty: recreate the topics, keep writing.
        try await broker.start()
        try await broker.createTopic(raw, partitions: 3)
        try await broker.createTopic(bad, partitions: 1)
        try writer.writeNow(4000..<5000)

        let lines = try ShippedLines(topic: raw, brokers: [broker.brokers])
        try await lines.read(until: { $0.hasAll(1000..<5000, from: "outage") })
        #expect(
            lines.missing(1000..<5000, from: "outage").isEmpty,
            "missing: \(lines.missing(1000..<5000, from: "outage").prefix(20))")
        print(
            "shipper Kafka outage: 4000 lines written during and after the outage, all delivered; duplicates: \(lines.duplicates(from: "outage"))"
        )
        await lines.close()
        #expect(shipper.stop(signal: SIGTERM) == 0)
        broker.stop()
    }
}
