import Logging
import Shared
import Synchronization

/// The Kafka producer the delivery tasks use, replaceable when it breaks for good.
///
/// librdkafka's idempotent producer can enter a fatal state (for example when a broker lost the
/// producer's sequence state, as a broker restarted without its data does); every later send fails
/// without being retriable. The delivery tasks then ask for a replacement: the first one to ask shuts
/// the broken producer down and puts a new one in its place; the others see it has been replaced
/// already.
///
/// Thread-safe.
final class ProducerSlot: Sendable {
    private let configuration: KafkaProducerConfiguration
    private let logger: Logger
    private let current: Mutex<KafkaProducer>

    init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        current = Mutex(try KafkaProducer(configuration: configuration, logger: logger))
    }

    var producer: KafkaProducer { current.withLock { $0 } }

    /// Replaces `broken` with a new producer unless it was replaced already.
    func replace(_ broken: KafkaProducer) async {
        let replaced: Bool = current.withLock { producer in
            guard producer === broken, let fresh = try? KafkaProducer(configuration: configuration, logger: logger)
            else { return false }
            producer = fresh
            return true
        }
        if replaced {
            logger.warning(
                "Kafka producer replaced after failures that are not retriable",
                metadata: ["component": "shipper.delivery"])
            await broken.shutdown()
        }
    }

    /// Delivers what is in flight (bounded by the producer's shutdown timeout) and stops.
    func shutdown() async {
        await producer.shutdown()
    }
}
