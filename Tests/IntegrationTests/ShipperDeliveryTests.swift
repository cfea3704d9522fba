import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// The shipper against the real local Kafka: every line written reaches the topic at least once —
/// through rotation, copy-truncate, SIGKILL and restarts — and the duplicates are counted and reported.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ShipperDeliveryTests {
    static func topics(_ name: String) async throws -> (raw: String, bad: String) {
        let admin = try KafkaTestCluster.admin()
        let raw = TestEnvironment.uniqueName("shipper_\(name)_raw"),
            bad = TestEnvironment.uniqueName("shipper_\(name)_bad")
        try await admin.createTopic(raw, partitions: 3)
        try await admin.createTopic(bad, partitions: 1)
        return (raw, bad)
    }

    static func deleteTopics(_ topics: (raw: String, bad: String)) async {
        let admin = try? KafkaTestCluster.admin()
        try? await admin?.deleteTopic(topics.raw)
        try? await admin?.deleteTopic(topics.bad)
    }

    @Test func rotationEveryFewSecondsWhileWritingLosesNothing() async throws {
        let topics = try await Self.topics("rotation")
        let directory = try shipperTestDirectory("rotation")
        let shipper = try ShipperUnderTest(
            inputs: [directory + "/*.log"], topic: topics.raw, badTopic: topics.bad,
            registry: directory + "-registry.json",
            arguments: ["--finished-file-retention", "0s"])
        let writer = CollectorLineWriter(directory: directory, source: "rotation")
        writer.start(perSecond: 3000, rotation: .renameAndCreate(every: .seconds(2)), badEvery: 997)
        try await Task.sleep(for: .seconds(7))  // load generation: keep writing across several rotations
        let total = writer.stop()
        #expect(writer.rotationCount >= 3, "the test must rotate")

        let lines = try ShippedLines(topic: topics.raw)
        try await lines.read(until: { $0.hasAll(0..<total, from: "rotation") })
        #expect(lines.missing(0..<total, from: "rotation").isEmpty, "every line reaches the topic")
        #expect(lines.keysMatch, "records are keyed by the network user id")
        print(
            "shipper rotation: \(total) lines, \(writer.rotationCount) rotations, duplicates: \(lines.duplicates(from: "rotation"))"
        )
        await lines.close()

        // Undecodable lines became bad rows and did not block the file.
        let bad = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("shipper_bad"))
        try bad.subscribe(topics: [topics.bad])
        let badRows = try await KafkaTestCluster.read(writer.badCount, from: bad)
        #expect(badRows.count >= writer.badCount && writer.badCount > 0)
        #expect(
            badRows.allSatisfy {
                String(decoding: $0.value, as: UTF8.self).contains("collector_payload_format_violation")
            })
        try? await bad.close()

        // Shipped finished files are deleted (retention 0s); the active file stays.
        let onlyActive = eventually {
            let names =
                (try? FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") }) ?? []
            return names == ["test.log"]
        }
        #expect(onlyActive, "finished files are cleaned up once shipped")
        #expect(shipper.stop(signal: SIGTERM) == 0)
        await Self.deleteTopics(topics)
    }

    @Test func copyTruncateRotationLosesNothing() async throws {
        let topics = try await Self.topics("copytruncate")
        let directory = try shipperTestDirectory("copytruncate")
        // The first rotated copies are part of the input, as Vector recommends for copytruncate.
        let shipper = try ShipperUnderTest(
            inputs: [directory + "/test.log*"], topic: topics.raw, badTopic: topics.bad,
            registry: directory + "-registry.json")
        let writer = CollectorLineWriter(directory: directory, source: "copytruncate")
        writer.start(perSecond: 2000, rotation: .copyTruncate(every: .seconds(1)))
        try await Task.sleep(for: .seconds(5))
        // At least three rotations while the shipper runs: normally five seconds give five; a loaded
        // machine can stall the writer's thread, so wait (bounded) rather than count on the clock.
        let rotationDeadline = ContinuousClock.now + .seconds(30)
        while writer.rotationCount < 3, ContinuousClock.now < rotationDeadline { try await Task.sleep(for: .milliseconds(200)) }
        let total = writer.stop()
        #expect(writer.rotationCount >= 3)

        let lines = try ShippedLines(topic: topics.raw)
        try await lines.read(until: { $0.hasAll(0..<total, from: "copytruncate") })
        #expect(
            lines.missing(0..<total, from: "copytruncate").isEmpty,
            "missing: \(lines.missing(0..<total, from: "copytruncate").prefix(20))")
        let duplicates = lines.duplicates(from: "copytruncate")
        print("shipper copytruncate: \(total) lines, \(writer.rotationCount) rotations, duplicates: \(duplicates)")
        #expect(duplicates < total, "copies are recognised: a copy is not shipped again from its beginning")
        await lines.close()
        #expect(shipper.stop(signal: SIGTERM) == 0)
        await Self.deleteTopics(topics)
    }

    @Test func sigkillAtRandomMomentsAndRestartsLoseNothing() async throws {
        let topics = try await Self.topics("sigkill")
        let directory = try shipperTestDirectory("sigkill")
        let registry = directory + "-registry.json"
        let writer = CollectorLineWriter(directory: directory, source: "sigkill")
        writer.start(perSecond: 3000, rotation: .renameAndCreate(every: .seconds(1)))
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5 {
            let shipper = try ShipperUnderTest(
                inputs: [directory + "/*.log"], topic: topics.raw, badTopic: topics.bad, registry: registry,
                arguments: ["--finished-file-retention", "0s"])
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1500, using: &generator)))
            #expect(shipper.service.stop(signal: SIGKILL) == SIGKILL, "round \(round)")
        }
        let total = writer.stop()
        let last = try ShipperUnderTest(
            inputs: [directory + "/*.log"], topic: topics.raw, badTopic: topics.bad, registry: registry,
            arguments: ["--finished-file-retention", "0s"])
        let lines = try ShippedLines(topic: topics.raw)
        try await lines.read(until: { $0.hasAll(0..<total, from: "sigkill") })
        #expect(
            lines.missing(0..<total, from: "sigkill").isEmpty,
            "missing: \(lines.missing(0..<total, from: "sigkill").prefix(20))")
        print(
            "shipper SIGKILL ×5: \(total) lines, \(writer.rotationCount) rotations, duplicates: \(lines.duplicates(from: "sigkill"))"
        )
        await lines.close()
        #expect(last.stop(signal: SIGTERM) == 0)
        await Self.deleteTopics(topics)
    }

    @Test func twoShippersOverTwoDirectoriesAndAThirdIsRefused() async throws {
        let topics = try await Self.topics("two")
        let first = try shipperTestDirectory("two-a"), second = try shipperTestDirectory("two-b")
        let shipperA = try ShipperUnderTest(
            inputs: [first], topic: topics.raw, badTopic: topics.bad, registry: first + "-registry.json")
        let shipperB = try ShipperUnderTest(
            inputs: [second], topic: topics.raw, badTopic: topics.bad, registry: second + "-registry.json")
        let writerA = CollectorLineWriter(directory: first, source: "a")
        let writerB = CollectorLineWriter(directory: second, source: "b")
        writerA.start(perSecond: 2000, rotation: .renameAndCreate(every: .seconds(1)))
        writerB.start(perSecond: 2000, rotation: .renameAndCreate(every: .seconds(1)))

        // A third shipper on a directory already owned is refused at start.
        let intruder = try RunningService.start(
            "shipper",
            arguments: [
                "--input", first, "--topic", topics.raw, "--registry", first + "-other-registry.json", "--admin-port",
                "0",
            ])
        intruder.process.waitUntilExit()
        #expect(intruder.process.terminationStatus != 0)
        #expect(
            intruder.log.contains("shipper.directory_locked")
                || intruder.log.contains("already shipped by another shipper"), "\(intruder.log)")

        try await Task.sleep(for: .seconds(4))
        let totalA = writerA.stop(), totalB = writerB.stop()
        let lines = try ShippedLines(topic: topics.raw)
        try await lines.read(until: { $0.hasAll(0..<totalA, from: "a") && $0.hasAll(0..<totalB, from: "b") })
        #expect(lines.missing(0..<totalA, from: "a").isEmpty)
        #expect(lines.missing(0..<totalB, from: "b").isEmpty)
        print(
            "shipper two directories: \(totalA) + \(totalB) lines, duplicates: \(lines.duplicates(from: "a")) + \(lines.duplicates(from: "b"))"
        )
        // A broker stall under load (requests timed out, records sent again) re-delivers what was in
        // flight: at least once, by design. Without one, each file is shipped once, by one shipper.
        let logs = shipperA.service.log + shipperB.service.log
        let stalled = ["Timed out", "brokers are down", "sending them again"].contains { logs.contains($0) }
        if stalled {
            print("shipper two directories: the broker stalled mid-run; duplicates allowed (at least once)")
        } else {
            #expect(
                lines.duplicates(from: "a") == 0 && lines.duplicates(from: "b") == 0,
                "without failures each file is shipped once, by one shipper")
        }
        await lines.close()
        #expect(shipperA.stop(signal: SIGTERM) == 0)
        #expect(shipperB.stop(signal: SIGTERM) == 0)
        await Self.deleteTopics(topics)
    }
}

extension ShipperUnderTest {
    @discardableResult
    func stop(signal: Int32) -> Int32 { service.stop(signal: signal) }
}
