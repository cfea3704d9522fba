/// The outcome of ``KafkaProducer/send(_:)`` for a batch: one delivery report or error per record,
/// in the order of the records given.
///
/// Stored compactly (two numbers per record plus the failures), so a batch of 100 000 records costs
/// about 1.2 MB; the records themselves are shared with the caller's array, not copied.
public struct KafkaBatchDelivery: Sendable {
    /// A record that was not delivered, by its position in the batch.
    public struct Failure: Sendable {
        /// The record's index in the batch passed to ``KafkaProducer/send(_:)``.
        public var index: Int
        /// Why it was not delivered; `isRetriable` tells whether sending it again may succeed.
        public var error: FreshetError
    }

    let records: [KafkaProducerRecord]
    let partitions: [Int32]
    let offsets: [Int64]

    /// The records that were not delivered, in batch order; empty when every record was delivered.
    public let failures: [Failure]

    /// How many records the batch held.
    public var count: Int { records.count }
    /// How many records the brokers acknowledged.
    public var deliveredCount: Int { records.count - failures.count }
    /// Whether every record was acknowledged.
    public var isFullyDelivered: Bool { failures.isEmpty }

    /// The outcome of the record at `index`.
    public subscript(index: Int) -> Result<KafkaDeliveryReport, FreshetError> {
        if offsets[index] < 0, let failure = failures.first(where: { $0.index == index }) {
            return .failure(failure.error)
        }
        return .success(
            KafkaDeliveryReport(topic: records[index].topic, partition: partitions[index], offset: offsets[index]))
    }

    /// Throws the first failure, if any record was not delivered (its message says how many failed).
    public func requireFullyDelivered() throws {
        guard let first = failures.first else { return }
        throw FreshetError(
            first.error.code,
            "\(failures.count) of \(count) records were not delivered; first (index \(first.index)): \(first.error.message)",
            retriable: first.error.isRetriable,
            underlying: first.error
        )
    }
}
