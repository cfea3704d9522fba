import Logging
import ServiceLifecycle
import Shared

/// The enricher as a long-running service: consumes `raw` in a consumer group, enriches each polled
/// batch (``BatchEnricher``), applies the visitor-profile stage, produces enriched lines and bad rows,
/// and marks a batch's records processed only when **every** production of the batch (enriched and bad)
/// was acknowledged by Kafka. Offsets are committed from what was marked (in the background, on
/// rebalance and at shutdown), so a crash re-delivers at most the unacknowledged batches:
/// at-least-once. See docs/enricher-delivery.md.
///
/// Back-pressure: at most ``EnricherConfiguration/maximumBatchesInFlight`` batches await
/// acknowledgement; beyond that, polling waits. A full producer queue makes `send` wait, never drop.
///
/// Shutdown (SIGTERM/SIGINT): stop polling, wait for the batches in flight, mark them, commit, leave
/// the group, flush the producer.
final class EnricherService: Service, Sendable {
    private let configuration: EnricherConfiguration
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let enricher: BatchEnricher
    private let profile: VisitorProfileGate
    private let encoder: EnricherOutputEncoder
    private let metrics: EnricherMetrics
    private let logger: Logger

    init(
        configuration: EnricherConfiguration, consumer: KafkaConsumer, producer: KafkaProducer, enricher: BatchEnricher,
        profile: VisitorProfileGate, metrics: EnricherMetrics, logger: Logger
    ) {
        self.configuration = configuration
        self.consumer = consumer
        self.producer = producer
        self.enricher = enricher
        self.profile = profile
        self.metrics = metrics
        self.logger = logger
        self.encoder = EnricherOutputEncoder(
            enrichedTopic: configuration.enrichedTopic, badTopic: configuration.badTopic,
            maximumRecordBytes: configuration.maximumRecordBytes, processor: EnricherConfiguration.processor)
    }

    /// Consumes until graceful shutdown. `consumer` must already be subscribed to the raw topic (the command
    /// subscribes before loading the enrichments, so the group join overlaps their start-up).
    func run() async throws {
        logger.info(
            "enriching", metadata: ["component": "enricher", "topic": "\(configuration.rawTopic)", "group": "\(configuration.groupID)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [self] in await measureLag() }
            defer { group.cancelAll() }
            try await consume()
        }
        try await consumer.close()
        try? await producer.flush(timeout: .seconds(10))
        await producer.shutdown()
        logger.info("stopped enriching", metadata: ["component": "enricher"])
    }

    /// The poll → enrich → profile → produce → mark loop, until graceful shutdown.
    ///
    /// Four things overlap: the next poll runs (on the consumer's executor thread) while the current
    /// batch is enriched; up to ``BatchEnricher/concurrentBatches`` batches are enriched at once (the next
    /// batch's slices start while the previous one's last slice still runs, so no core idles at the end of
    /// a batch); a batch's visitor-profile round trip, encoding and production run in its own task once
    /// its enrichment is done; and up to ``EnricherConfiguration/maximumBatchesInFlight`` batches await
    /// acknowledgement. The profile calls are queued in poll order on one Redis connection
    /// (``ProfileTurn``), whose thread sends each as soon as the previous one is answered, so batches reach
    /// Redis in poll order (a visitor's later batch never overtakes an earlier one) — only the calls are
    /// serial, not the preparation, the reading of the answer or the encoding — and batches are marked in
    /// poll order. While Redis is unreachable under `pause`, the turns stall and the loop stops at the
    /// in-flight bound.
    private func consume() async throws {
        var inFlight: [(records: [KafkaConsumerRecord], delivery: Task<Void, Error>)] = []
        var launcher = BatchLauncher(enricher: enricher)
        func completeOldest() async throws {
            let (records, delivery) = inFlight.removeFirst()
            try await delivery.value
            _ = try consumer.markProcessed(records)
        }
        func start(_ records: [KafkaConsumerRecord]) async {
            metrics.recordsIn.increment(by: records.count)
            metrics.bytesIn.increment(by: records.reduce(0) { $0 + $1.value.count })
            let metrics = self.metrics
            let batch = await launcher.start(records.map(\.value)) { outputs, took in
                metrics.eventsIn.increment(by: outputs)
                metrics.enrichLatency.recordNanoseconds(took.nanoseconds)
            }
            inFlight.append((records, send(records, batch)))
        }
        let consumer = self.consumer, batchSize = configuration.batchSize
        var next = Task { try await consumer.poll(maximumRecords: batchSize) }
        defer { next.cancel() }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let records = try await next.value
            next = Task { try await consumer.poll(maximumRecords: batchSize) }
            if records.isEmpty {
                // Idle: finish what is in flight so its offsets are committed promptly.
                while !inFlight.isEmpty { try await completeOldest() }
                continue
            }
            await start(records)
            while inFlight.count > configuration.maximumBatchesInFlight { try await completeOldest() }
        }
        // A batch polled ahead is processed too, so nothing fetched is left unmarked at shutdown.
        if let records = try? await next.value, !records.isEmpty { await start(records) }
        while !inFlight.isEmpty { try await completeOldest() }
        try await consumer.commit()
    }

    /// In a task of its own, once `batch` (enriching `records`) is enriched: applies the visitor profile
    /// (its round trip in turn), encodes and produces. Returns the task that ends when every record of the
    /// batch was acknowledged.
    private func send(_ records: [KafkaConsumerRecord], _ batch: LaunchedBatch) -> Task<Void, Error> {
        let (profile, encoder, producer, metrics, logger) = (self.profile, self.encoder, self.producer, self.metrics, self.logger)
        let profiling = Task { () async throws -> ([KafkaProducerRecord], Int, [BadRow]) in
            var output = await batch.output()
            let sources = output.eventRecords.map { Self.source(of: records[$0]) }
            try await profile.apply(to: &output.events, sources: sources, order: batch.order)
            return encoder.encode(output, now: SnowplowTimestamp.now())
        }
        let delivery = Task {
            let (outgoing, enrichedCount, badRows) = try await profiling.value
            try await Self.deliver(outgoing, producer: producer, logger: logger)
            metrics.enriched.increment(by: enrichedCount)
            metrics.badSent.increment(by: badRows.count)
            for row in badRows { metrics.recordBad(row) }
            metrics.bytesOut.increment(by: outgoing.reduce(0) { $0 + $1.value.count })
        }
        return delivery
    }

    /// The visitor profile's source of the events of `record` (``VisitorProfileInput/source``): its
    /// partition and offset, e.g. `3:1200456` — the same record delivered again has the same source.
    static func source(of record: KafkaConsumerRecord) -> String {
        "\(record.partition):\(record.offset)"
    }

    /// Sends `records` until every one is acknowledged: failed records are resent with back-off
    /// (librdkafka already retried them for its delivery timeout). Ends early only on a non-retriable
    /// error, which is thrown (nothing of the batch is marked, so it is consumed again after restart).
    static func deliver(_ records: [KafkaProducerRecord], producer: KafkaProducer, logger: Logger) async throws {
        var pending = records
        var delay = Duration.milliseconds(200)
        while !pending.isEmpty {
            let delivery = try await producer.send(pending)
            if delivery.isFullyDelivered { return }
            if let fatal = delivery.failures.first(where: { !$0.error.isRetriable }) { throw fatal.error }
            logger.warning(
                "productions failed; resending",
                metadata: ["component": "enricher", "count": "\(delivery.failures.count)", "error.code": "\(delivery.failures[0].error.code)"])
            pending = delivery.failures.map { pending[$0.index] }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    /// Records consumer lag into `freshet_consumer_lag` every ``EnricherConfiguration/lagInterval``.
    private func measureLag() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.lagInterval)
            guard let lags = try? await consumer.lag() else { continue }
            for lag in lags {
                metrics.pipeline.consumerLag(topic: lag.topic, partition: lag.partition).record(lag.lag)
            }
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
