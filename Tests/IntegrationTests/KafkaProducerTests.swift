import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

@Suite("Kafka producer against the real broker", .timeLimit(.minutes(3)))
struct KafkaProducerTests {
    @Test func singleSendReportsWhereTheRecordWent() async throws {
        try await KafkaTestCluster.withTopic(partitions: 1) { topic in
            let producer = try KafkaTestCluster.producer()
            let first = try await producer.send(topic: topic, key: Array("k".utf8), value: Array("one".utf8))
            let second = try await producer.send(KafkaProducerRecord(topic: topic, key: "k", value: "two"))
            #expect(first == KafkaDeliveryReport(topic: topic, partition: 0, offset: 0))
            #expect(second == KafkaDeliveryReport(topic: topic, partition: 0, offset: 1))
            await producer.shutdown()
        }
    }

    @Test func batchOfHundredThousandIsFullyDelivered() async throws {
        try await KafkaTestCluster.withTopic(partitions: 3) { topic in
            let producer = try KafkaTestCluster.producer()
            let count = 100_000
            let value = [UInt8](repeating: 0x61, count: 100)
            let records = (0..<count).map {
                KafkaProducerRecord(topic: topic, key: Array(String($0).utf8), value: value)
            }
            // Warm up (connection, producer id) so the printed rate is about sending, not connecting.
            let warmUp = try await producer.send(topic: topic, key: nil, value: value)
            let started = ContinuousClock.now
            let delivery = try await producer.send(records)
            let elapsed = ContinuousClock.now - started
            print(
                "kafka batch: \(count) records delivered in \(elapsed) (\(Int(Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))) records/s)"
            )  // information, not an assertion
            #expect(delivery.count == count)
            #expect(delivery.isFullyDelivered, "\(delivery.failures.first?.error.description ?? "")")
            try delivery.requireFullyDelivered()
            // Every partition holds a gap-free run of offsets 0..<n: each record written exactly once.
            var offsetsByPartition: [Int32: [Int64]] = [warmUp.partition: [warmUp.offset]]
            for index in 0..<count {
                let report = try delivery[index].get()
                offsetsByPartition[report.partition, default: []].append(report.offset)
            }
            #expect(offsetsByPartition.values.reduce(0) { $0 + $1.count } == count + 1)
            for (partition, offsets) in offsetsByPartition {
                #expect(offsets.sorted() == (0..<Int64(offsets.count)).map { $0 }, "partition \(partition)")
            }
            await producer.shutdown()
        }
    }

    @Test func fullLocalQueueIsBackPressureNotLoss() async throws {
        try await KafkaTestCluster.withTopic(partitions: 2) { topic in
            // A queue of 500 records and a batch of 20 000: the sender must wait for room many times.
            let producer = try KafkaTestCluster.producer { $0.maximumQueuedRecords = 500 }
            let records = (0..<20_000).map { KafkaProducerRecord(topic: topic, key: nil, value: Array("r\($0)".utf8)) }
            let delivery = try await producer.send(records)
            #expect(delivery.deliveredCount == 20_000, "\(delivery.failures.first?.error.description ?? "")")
            await producer.shutdown()
        }
    }

    @Test func unreachableBrokerTimesOutRetriably() async throws {
        let producer = try KafkaProducer(
            configuration: {
                var configuration = KafkaProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
                configuration.deliveryTimeout = .milliseconds(1500)
                return configuration
            }(),
            logger: KafkaTestCluster.logger
        )
        let error = try await #require(throws: FreshetError.self) {
            try await producer.send(topic: "nowhere", key: nil, value: Array("lost?".utf8))
        }
        #expect(error.code == .kafkaDeliveryFailed)
        #expect(error.isRetriable)
        #expect(error.message.contains("_MSG_TIMED_OUT"), "\(error.message)")
        await producer.shutdown()
    }

    @Test func sendAfterShutdownIsRefused() async throws {
        let producer = try KafkaTestCluster.producer()
        await producer.shutdown()
        let error = try await #require(throws: FreshetError.self) {
            try await producer.send(topic: "any", key: nil, value: [1])
        }
        #expect(error.code == .kafkaClosed)
    }

    @Test func shutdownFailsWhatCannotBeDeliveredInsteadOfHanging() async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.deliveryTimeout = .seconds(300)
        configuration.shutdownFlushTimeout = .milliseconds(200)
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestCluster.logger)
        let delivery = Task {
            try await producer.send(
                (0..<10).map { KafkaProducerRecord(topic: "nowhere", key: nil, value: [UInt8($0)]) })
        }
        while producer.queuedRecordCount < 10 { await Task.yield() }
        // Shut down while the records sit in the queue: the flush times out, the rest are purged and failed.
        await producer.shutdown()
        let outcome = try await delivery.value
        #expect(outcome.failures.count == 10)
        #expect(outcome.failures.allSatisfy { $0.error.code == .kafkaDeliveryFailed && $0.error.isRetriable })
    }
}
