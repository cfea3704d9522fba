import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

@Suite("Kafka consumer against the real broker", .timeLimit(.minutes(3)))
struct KafkaConsumerTests {
    @Test func readsEveryRecordWithKeyValueAndHeaders() async throws {
        try await KafkaTestCluster.withTopic(partitions: 3) { topic in
            let producer = try KafkaTestCluster.producer()
            let count = 300
            let records = (0..<count).map { index in
                KafkaProducerRecord(
                    topic: topic, key: "key-\(index)", value: "value-\(index)",
                    headers: [KafkaHeader(name: "index", value: "\(index)"), KafkaHeader(name: "empty", value: nil)]
                )
            }
            let delivery = try await producer.send(records)
            try delivery.requireFullyDelivered()
            await producer.shutdown()

            let consumer = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("group"))
            try consumer.subscribe(topics: [topic])
            let read = try await KafkaTestCluster.read(count, from: consumer)
            try await consumer.close()

            #expect(read.count == count)
            var seen = Set<String>()
            for record in read {
                let key = try #require(KafkaTestCluster.text(record.key))
                let index = try #require(Int(key.dropFirst("key-".count)))
                #expect(seen.insert(key).inserted, "read twice: \(key)")
                #expect(KafkaTestCluster.text(record.value) == "value-\(index)")
                #expect(record.headers == records[index].headers)
                #expect(record.topic == topic)
                #expect(record.timestampMilliseconds != nil)
                // The record sits where the producer's delivery report said.
                let report = try delivery[index].get()
                #expect(record.partition == report.partition && record.offset == report.offset)
            }
            #expect(seen.count == count)
        }
    }

    @Test(arguments: KafkaConfiguration.Compression.allCases)
    func everyCompressionRoundTrips(_ compression: KafkaConfiguration.Compression) async throws {
        try await KafkaTestCluster.withTopic(partitions: 1, "kafka_\(compression.rawValue)") { topic in
            let producer = try KafkaTestCluster.producer { $0.compression = compression }
            let payload = String(repeating: "snowplow event payload ", count: 40)
            let records = (0..<50).map { KafkaProducerRecord(topic: topic, key: "k\($0)", value: "\($0) \(payload)") }
            try await producer.send(records).requireFullyDelivered()
            await producer.shutdown()
            let consumer = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("group"))
            try consumer.subscribe(topics: [topic])
            let read = try await KafkaTestCluster.read(50, from: consumer)
            try await consumer.close()
            #expect(read.map { KafkaTestCluster.text($0.value) } == records.map { KafkaTestCluster.text($0.value) })
        }
    }

    @Test func newMemberResumesExactlyAtTheCommittedOffset() async throws {
        try await KafkaTestCluster.withTopic(partitions: 1) { topic in
            let producer = try KafkaTestCluster.producer()
            try await producer.send((0..<20).map { KafkaProducerRecord(topic: topic, key: nil, value: "r\($0)") })
                .requireFullyDelivered()
            await producer.shutdown()
            let group = TestEnvironment.uniqueName("group")

            let first = try KafkaTestCluster.consumer(group: group) { $0.autoCommit = false }
            try first.subscribe(topics: [topic])
            let fetched = try await KafkaTestCluster.read(20, from: first)
            #expect(fetched.map(\.offset) == Array(0..<20))
            // Processed only the first 8 (of 20 fetched): only those may count as done.
            #expect(try first.markProcessed(fetched.prefix(8)) == 8)
            try await first.commit()
            #expect(try await first.committedOffsets(topic: topic, partitions: [0], timeout: .seconds(30)) == [0: 8])
            try await first.close()
            #expect(try first.markProcessed(fetched[10]) == false, "marks after close are ignored")

            let second = try KafkaTestCluster.consumer(group: group) { $0.autoCommit = false }
            try second.subscribe(topics: [topic])
            let resumed = try await KafkaTestCluster.read(12, from: second)
            #expect(resumed.map(\.offset) == Array(8..<20), "nothing lost, nothing read twice")
            #expect(resumed.map { KafkaTestCluster.text($0.value) } == (8..<20).map { "r\($0)" })
            try await second.close()
        }
    }

    /// `seek(to:)` moves the position back: the next polls return the records again from there, none
    /// fetched before the seek in between; partitions not assigned are skipped.
    @Test func seekReadsRecordsAgainFromTheGivenOffset() async throws {
        try await KafkaTestCluster.withTopic(partitions: 2) { topic in
            let producer = try KafkaTestCluster.producer()
            try await producer.send((0..<40).map { KafkaProducerRecord(topic: topic, key: nil, value: "r\($0)", partition: Int32($0 % 2)) })
                .requireFullyDelivered()
            await producer.shutdown()
            let consumer = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("group")) { $0.autoCommit = false }
            try consumer.subscribe(topics: [topic])
            let first = try await KafkaTestCluster.read(40, from: consumer)
            #expect(first.count == 40)

            let moved = try await consumer.seek(to: [
                KafkaTopicPartition(topic: topic, partition: 0): 5, KafkaTopicPartition(topic: topic, partition: 1): 18,
                KafkaTopicPartition(topic: topic + "_not_assigned", partition: 0): 0,
            ])
            #expect(Set(moved) == [KafkaTopicPartition(topic: topic, partition: 0), KafkaTopicPartition(topic: topic, partition: 1)])
            let again = try await KafkaTestCluster.read(17, from: consumer)
            #expect(again.filter { $0.partition == 0 }.map(\.offset) == Array(5..<20))
            #expect(again.filter { $0.partition == 1 }.map(\.offset) == Array(18..<20))
            #expect(again.count == 17, "nothing else comes back")
            #expect(try await consumer.poll().isEmpty)
            try await consumer.close()
        }
    }

    @Test func marksOfRevokedPartitionsAreNoOps() async throws {
        try await KafkaTestCluster.withTopic(partitions: 2) { topic in
            let producer = try KafkaTestCluster.producer()
            let records = (0..<2).flatMap { partition in
                (0..<10).map {
                    KafkaProducerRecord(
                        topic: topic, key: nil, value: "p\(partition)-\($0)", partition: Int32(partition))
                }
            }
            try await producer.send(records).requireFullyDelivered()
            await producer.shutdown()
            let group = TestEnvironment.uniqueName("group")

            let first = try KafkaTestCluster.consumer(group: group) { $0.autoCommit = false }
            try first.subscribe(topics: [topic])
            let fetched = try await KafkaTestCluster.read(20, from: first)
            let offsetZero = fetched.filter { $0.offset == 0 }
            #expect(offsetZero.count == 2)
            #expect(try first.markProcessed(offsetZero) == 2)

            // A second member joins: the (eager) rebalance revokes everything from the first member,
            // which commits what it marked (offset 1 on both partitions) before giving the partitions up.
            let second = try KafkaTestCluster.consumer(group: group) { $0.autoCommit = false }
            try second.subscribe(topics: [topic])
            let secondReads = Task { try await KafkaTestCluster.read(9, from: second) }
            let end = ContinuousClock.now + .seconds(60)
            while second.assignedPartitions.isEmpty, ContinuousClock.now < end {
                _ = try await first.poll()
            }
            try #require(!second.assignedPartitions.isEmpty)

            // Records fetched before the rebalance: marking them stores nothing, even for a partition
            // the first member got back in the new assignment.
            let stale = fetched.filter { $0.offset == 5 }
            #expect(try first.markProcessed(stale) == 0)
            try await first.commit()

            let resumed = try await secondReads.value
            let secondPartition = try #require(second.assignedPartitions.first?.partition)
            #expect(resumed.first?.offset == 1, "the new owner starts after what the old owner marked")
            #expect(resumed.allSatisfy { $0.partition == secondPartition })
            let committed = try await first.committedOffsets(topic: topic, partitions: [0, 1], timeout: .seconds(30))
            #expect(committed == [0: 1, 1: 1], "stale marks never reached a commit")
            try await first.close()
            try await second.close()
        }
    }

    @Test func twoMembersSplitPartitionsAndReadEveryRecordOnce() async throws {
        try await KafkaTestCluster.withTopic(partitions: 4) { topic in
            let group = TestEnvironment.uniqueName("group")
            let first = try KafkaTestCluster.consumer(group: group)
            let second = try KafkaTestCluster.consumer(group: group)
            try first.subscribe(topics: [topic])
            try second.subscribe(topics: [topic])
            // Both members poll until the group has given each of them a share of the 4 partitions.
            let end = ContinuousClock.now + .seconds(60)
            var early: [KafkaConsumerRecord] = []
            while first.assignedPartitions.isEmpty || second.assignedPartitions.isEmpty
                || first.assignedPartitions.count + second.assignedPartitions.count != 4,
                ContinuousClock.now < end
            {
                async let a = first.poll()
                async let b = second.poll()
                early += try await a + b
            }
            #expect(early.isEmpty)
            let firstPartitions = Set(first.assignedPartitions.map(\.partition))
            let secondPartitions = Set(second.assignedPartitions.map(\.partition))
            try #require(!firstPartitions.isEmpty && !secondPartitions.isEmpty)
            #expect(firstPartitions.isDisjoint(with: secondPartitions))

            let producer = try KafkaTestCluster.producer()
            let count = 400
            let records = (0..<count).map {
                KafkaProducerRecord(topic: topic, key: nil, value: "v\($0)", partition: Int32($0 % 4))
            }
            try await producer.send(records).requireFullyDelivered()
            await producer.shutdown()

            async let firstRead = KafkaTestCluster.read(count / 4 * firstPartitions.count, from: first)
            async let secondRead = KafkaTestCluster.read(count / 4 * secondPartitions.count, from: second)
            let (a, b) = try await (firstRead, secondRead)
            #expect(a.allSatisfy { firstPartitions.contains($0.partition) })
            #expect(b.allSatisfy { secondPartitions.contains($0.partition) })
            let values = (a + b).compactMap { KafkaTestCluster.text($0.value) }
            #expect(values.count == count)
            #expect(Set(values) == Set((0..<count).map { "v\($0)" }))
            try await first.close()
            try await second.close()
        }
    }

    @Test func lagIsHighWatermarkMinusPosition() async throws {
        try await KafkaTestCluster.withTopic(partitions: 1) { topic in
            let producer = try KafkaTestCluster.producer()
            try await producer.send((0..<10).map { KafkaProducerRecord(topic: topic, key: nil, value: "a\($0)") })
                .requireFullyDelivered()
            let consumer = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("group"))
            try consumer.subscribe(topics: [topic])
            #expect(try await KafkaTestCluster.read(10, from: consumer).count == 10)
            let caughtUp = try await consumer.lag(timeout: .seconds(30))
            #expect(
                caughtUp == [KafkaPartitionLag(topic: topic, partition: 0, highWatermark: 10, position: 10, lag: 0)])

            try await producer.send((0..<7).map { KafkaProducerRecord(topic: topic, key: nil, value: "b\($0)") })
                .requireFullyDelivered()
            // The broker learns of the new records at once; the consumer's view of the high watermark
            // follows within a fetch round trip. Ask until it shows them (never more than them).
            var behind = try await consumer.lag(timeout: .seconds(30))
            let end = ContinuousClock.now + .seconds(30)
            while behind.map(\.lag) != [7], ContinuousClock.now < end {
                #expect(behind.allSatisfy { $0.lag <= 7 && $0.position == 10 })
                behind = try await consumer.lag(timeout: .seconds(30))
            }
            #expect(behind == [KafkaPartitionLag(topic: topic, partition: 0, highWatermark: 17, position: 10, lag: 7)])
            #expect(try await KafkaTestCluster.read(7, from: consumer).count == 7)
            #expect(try await consumer.lag(timeout: .seconds(30)).map(\.lag) == [0])
            try await consumer.close()
            await producer.shutdown()
        }
    }

    @Test func recordsSequenceEndsOnClose() async throws {
        try await KafkaTestCluster.withTopic(partitions: 1) { topic in
            let producer = try KafkaTestCluster.producer()
            try await producer.send((0..<5).map { KafkaProducerRecord(topic: topic, key: nil, value: "s\($0)") })
                .requireFullyDelivered()
            await producer.shutdown()
            let consumer = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("group"))
            try consumer.subscribe(topics: [topic])
            var values: [String] = []
            for try await record in consumer.records {
                values.append(KafkaTestCluster.text(record.value) ?? "")
                try consumer.markProcessed(record)
                if values.count == 5 { try await consumer.close() }
            }
            #expect(values == (0..<5).map { "s\($0)" })
        }
    }
}
