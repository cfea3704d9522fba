import CRdKafka
import Foundation
import Logging
import Metrics
import Synchronization

/// Writes records to Kafka and reports, per record, where the broker stored it or why it could not.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(bootstrapServers: ["127.0.0.1:9092"]), logger: logger)
/// let report = try await producer.send(topic: "raw", key: nil, value: payload)
/// let batch = try await producer.send(records)   // thousands at once, one await
/// try batch.requireFullyDelivered()
/// await producer.shutdown()
/// ```
///
/// Delivery: by default idempotent with `acks=all`, so a record reported delivered is on every
/// in-sync replica and producer retries never duplicate it. `send` returns only after the record's
/// delivery report.
///
/// Back-pressure: when librdkafka's local queue is full (``KafkaProducerConfiguration/maximumQueuedRecords``)
/// `send` waits — without blocking a thread — until deliveries free room, then goes on; it never drops.
///
/// Threading: all methods may be called from any task concurrently. A dedicated thread
/// (`freshet.kafka.producer.poll`) serves librdkafka's callbacks: delivery reports, logs and errors.
/// Blocking calls (flush) run on the producer's own ``BlockingExecutor``, never on the cooperative pool.
///
/// Lifetime: call ``shutdown()`` before dropping the last reference so records in flight are delivered;
/// the polling thread and the librdkafka handle end once the producer is released.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let queueSpace: KafkaProducerQueueSpace
    private let pollThread: KafkaPollThread
    private let executor: BlockingExecutor
    private let isClosed = Atomic<Bool>(false)
    private let configuration: KafkaProducerConfiguration
    private let logger: Logger
    private let metrics = KafkaProducerMetrics()

    /// Creates the producer and starts its polling thread. Connecting happens in the background.
    ///
    /// - Throws: ``FreshetError/Code/kafkaRuntimeTooOld`` on a librdkafka older than 2.2,
    ///   ``FreshetError/Code/kafkaInvalidConfiguration`` naming a property librdkafka refused, or
    ///   ``FreshetError/Code/kafkaClientCreationFailed``.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        try KafkaRuntime.requireSupportedVersion()
        var logger = logger
        logger[metadataKey: "component"] = "kafka.producer"
        self.logger = logger
        self.configuration = configuration
        client = try RDKafkaClient(
            kind: .producer,
            properties: configuration.librdkafkaProperties,
            callbacks: RDKafkaCallbacks(logger: logger, component: "kafka.producer"),
            deliveryReports: rdKafkaDeliveryReportCallback
        )
        queueSpace = KafkaProducerQueueSpace()
        executor = BlockingExecutor(label: "freshet.kafka.producer.flush")
        let client = client, queueSpace = queueSpace
        pollThread = KafkaPollThread(name: "freshet.kafka.producer.poll") {
            if client.poll(timeoutMilliseconds: 100) > 0 { queueSpace.signal() }
        }
        logger.info(
            "Kafka producer created",
            metadata: [
                "kafka.bootstrap_servers": "\(configuration.bootstrapServers.joined(separator: ","))",
                "kafka.librdkafka_version": "\(KafkaRuntime.versionString)",
            ]
        )
    }

    deinit {
        pollThread.stop()
        client.wakeUp()
    }

    /// Sends one record and returns once the broker acknowledged it.
    ///
    /// - Throws: ``FreshetError/Code/kafkaDeliveryFailed`` (retriable for timeouts and unreachable
    ///   brokers), ``FreshetError/Code/kafkaEnqueueFailed`` when librdkafka refused the record (e.g. too
    ///   large), or ``FreshetError/Code/kafkaClosed`` after ``shutdown()``.
    public func send(
        topic: String, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = []
    ) async throws -> KafkaDeliveryReport {
        try await send([KafkaProducerRecord(topic: topic, key: key, value: value, headers: headers)])[0].get()
    }

    /// Sends one record and returns once the broker acknowledged it. See ``send(topic:key:value:headers:)``.
    public func send(_ record: KafkaProducerRecord) async throws -> KafkaDeliveryReport {
        try await send([record])[0].get()
    }

    /// Enqueues every record, in order, and returns once each has its delivery report.
    ///
    /// Per-record failures do not throw: they are in ``KafkaBatchDelivery/failures`` so the caller can
    /// resend exactly those (or call ``KafkaBatchDelivery/requireFullyDelivered()``). A full local
    /// queue makes this wait for room, not fail. Cancelling the calling task does not recall records
    /// already enqueued; the call still returns only when all reports are in.
    ///
    /// - Throws: ``FreshetError/Code/kafkaClosed`` when called after ``shutdown()``.
    public func send(_ records: [KafkaProducerRecord]) async throws -> KafkaBatchDelivery {
        guard !isClosed.load(ordering: .relaxed) else {
            throw FreshetError(.kafkaClosed, "the Kafka producer was shut down; no record was sent", retriable: false)
        }
        let tracker = KafkaDeliveryTracker(count: records.count)
        for index in records.indices {
            // Enqueueing is fast but a large batch would hold this cooperative thread for a while.
            if index > 0, index % 4096 == 0 { await Task.yield() }
            tracker.willEnqueue()
            while true {
                let generation = queueSpace.generation
                let error = client.produce(records[index], opaque: tracker.opaque(for: index))
                if error == RD_KAFKA_RESP_ERR_NO_ERROR { break }
                if error == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    metrics.queueFullWaits.increment()
                    await queueSpace.wait(after: generation)
                    continue
                }
                tracker.enqueueFailed(index, error: error)
                break
            }
        }
        await tracker.waitForAll()
        return outcome(of: records, tracker: tracker)
    }

    /// Records handed to librdkafka and not yet delivered or failed (for logs and gauges).
    public var queuedRecordCount: Int { Int(client.outstandingCount) }

    /// Waits until every record handed to librdkafka is delivered or failed, for at most `timeout`.
    ///
    /// - Throws: a retriable ``FreshetError/Code/timeout`` naming how many records are still in flight.
    public func flush(timeout: Duration) async throws {
        let client = client
        let milliseconds = Int32(clamping: timeout.wholeMilliseconds)
        let (error, remaining) = try await executor.run {
            let error = client.withHandle { rd_kafka_flush($0, milliseconds) }
            return (error, client.outstandingCount)
        }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw FreshetError(
                .timeout,
                "Kafka flush did not finish within \(timeout): \(remaining) records still in flight "
                    + "(\(RDKafkaResponse.describe(error))). Check broker reachability",
                retriable: true
            )
        }
    }

    /// Stops accepting records, waits up to ``KafkaProducerConfiguration/shutdownFlushTimeout`` for
    /// those in flight, then fails the rest (their senders get a retriable
    /// ``FreshetError/Code/kafkaDeliveryFailed``). Safe to call more than once.
    public func shutdown() async {
        guard !isClosed.exchange(true, ordering: .relaxed) else { return }
        do {
            try await flush(timeout: configuration.shutdownFlushTimeout)
            logger.info("Kafka producer flushed and shut down")
        } catch {
            let client = client
            let remaining = client.outstandingCount
            logger.error(
                "Kafka producer shut down with undelivered records; failing them",
                metadata: ["error.message": "\(error)", "kafka.undelivered": "\(remaining)"]
            )
            _ = try? await executor.run {
                client.withHandle { handle in
                    _ = rd_kafka_purge(handle, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
                    // Serves the purged records' delivery reports so their senders resume.
                    _ = rd_kafka_flush(handle, 1000)
                }
            }
        }
    }

    /// Turns the tracker's slots into the public outcome and updates the metrics.
    private func outcome(of records: [KafkaProducerRecord], tracker: KafkaDeliveryTracker) -> KafkaBatchDelivery {
        var partitions = [Int32](repeating: -1, count: records.count)
        var offsets = [Int64](repeating: -1, count: records.count)
        var failures: [KafkaBatchDelivery.Failure] = []
        var tally = KafkaProducerMetrics.Tally()
        for index in records.indices {
            let slot = tracker.slot(index)
            let record = records[index]
            if slot.error == RD_KAFKA_RESP_ERR_NO_ERROR {
                partitions[index] = slot.partition
                offsets[index] = slot.offset
                tally.delivered(record)
            } else {
                let code: FreshetError.Code = slot.refused ? .kafkaEnqueueFailed : .kafkaDeliveryFailed
                let error = FreshetError.kafka(
                    code, "record for topic '\(record.topic)' was not delivered", error: slot.error)
                failures.append(.init(index: index, error: error))
                tally.failed(record)
            }
        }
        metrics.record(tally)
        if let first = failures.first {
            logger.warning(
                "Kafka records not delivered",
                metadata: [
                    "kafka.failed": "\(failures.count)", "topic": "\(records[first.index].topic)",
                    "error.code": "\(first.error.code)", "error.message": "\(first.error.message)",
                ]
            )
        }
        return KafkaBatchDelivery(records: records, partitions: partitions, offsets: offsets, failures: failures)
    }
}
