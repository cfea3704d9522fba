import CRdKafka
import Testing

@testable import Shared

@Suite("Delivery report bridging")
struct KafkaDeliveryTrackerTests {
    @Test func reportsArrivingOutOfOrderResumeTheWaiterOnceAllAreIn() async throws {
        let tracker = KafkaDeliveryTracker(count: 3)
        for _ in 0..<3 { tracker.willEnqueue() }
        let opaques = (0..<3).map { tracker.opaque(for: $0) }
        // Reports come from another thread, in any order.
        let deliverer = Task.detached {
            KafkaDeliveryTracker.deliver(opaque: opaques[2], error: RD_KAFKA_RESP_ERR_NO_ERROR, partition: 1, offset: 7)
            KafkaDeliveryTracker.deliver(
                opaque: opaques[0], error: RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, partition: 0, offset: -1)
            KafkaDeliveryTracker.deliver(opaque: opaques[1], error: RD_KAFKA_RESP_ERR_NO_ERROR, partition: 2, offset: 9)
        }
        await tracker.waitForAll()
        await deliverer.value
        #expect(tracker.slot(0).error == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        #expect(!tracker.slot(0).refused)
        #expect(tracker.slot(1).partition == 2 && tracker.slot(1).offset == 9)
        #expect(tracker.slot(2).partition == 1 && tracker.slot(2).offset == 7)
    }

    @Test func refusedRecordsNeedNoReport() async {
        let tracker = KafkaDeliveryTracker(count: 2)
        tracker.willEnqueue()
        tracker.enqueueFailed(0, error: RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        tracker.willEnqueue()
        KafkaDeliveryTracker.deliver(
            opaque: tracker.opaque(for: 1), error: RD_KAFKA_RESP_ERR_NO_ERROR, partition: 0, offset: 0)
        await tracker.waitForAll()
        #expect(tracker.slot(0).refused)
        #expect(tracker.slot(0).error == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
    }

    @Test func queueSpaceWaitMissesNoSignal() async {
        let space = KafkaProducerQueueSpace()
        let before = space.generation
        space.signal()  // room freed between the failed enqueue and the wait
        await space.wait(after: before)  // returns at once instead of waiting for another signal
        #expect(space.generation != before)
    }

    @Test func retriableClassification() {
        #expect(RDKafkaResponse.isRetriable(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT))
        #expect(RDKafkaResponse.isRetriable(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN))
        #expect(!RDKafkaResponse.isRetriable(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE))
        #expect(!RDKafkaResponse.isRetriable(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED))
        #expect(RDKafkaResponse.describe(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT).contains("_MSG_TIMED_OUT"))
    }
}
