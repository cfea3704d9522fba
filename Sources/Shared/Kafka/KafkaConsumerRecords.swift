/// The records of a ``KafkaConsumer`` as an `AsyncSequence`, fetched in batches on the consumer's
/// executor thread. Ends (returns `nil`) when the consumer is closed or the iterating task is
/// cancelled; throws what ``KafkaConsumer/poll(maximumRecords:)`` throws.
///
/// Back-pressure is natural: nothing is fetched while the iterator is not asked for the next record.
/// Iterate from one task at a time.
public struct KafkaConsumerRecords: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerRecord

    let consumer: KafkaConsumer

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer)
    }

    /// Hands out one fetched batch before polling for the next.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        private var batch: [KafkaConsumerRecord] = []
        private var index = 0

        init(consumer: KafkaConsumer) {
            self.consumer = consumer
        }

        public mutating func next() async throws -> KafkaConsumerRecord? {
            while index == batch.count {
                if Task.isCancelled || consumer.isClosed { return nil }
                batch = try await consumer.poll()
                index = 0
            }
            defer { index += 1 }
            return batch[index]
        }
    }
}
