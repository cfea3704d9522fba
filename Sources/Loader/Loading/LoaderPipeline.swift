import Logging
import Metrics
import ServiceLifecycle
import Shared
import Synchronization

/// The loader's work, as a `Service`: consume `enriched` (and `bad`), turn records into RowBinary rows,
/// insert them in batches, and commit the Kafka offsets of a batch only after ClickHouse accepted all
/// of its rows and every bad row the loader made from it was delivered to the `bad` topic.
///
/// Flow: the consume loop fills a ``PendingBatch`` (``BatchState`` says when it is full or due; its
/// event buffer comes from a ``BatchBufferPool`` and goes back after delivery) while
/// earlier batches are delivered by tasks of their own. At most two batches exist: a full batch is handed
/// over at once (its insert may overlap the previous one's), and while two deliveries run the loop waits
/// for the older one before starting the next batch — so while ClickHouse is down the loop stops
/// polling (consumption pauses), memory stays at two batches plus librdkafka's bounded prefetch, and
/// each delivery waits for its predecessor before committing, so commits happen in batch order.
///
/// Delivery: at-least-once from Kafka, and no double counting in ClickHouse: a replayed batch (after a
/// crash between insert and commit) is dropped by insert deduplication where the server has it, and
/// otherwise collapses in `ReplacingMergeTree` / is not counted by the analytics' distinct states.
///
/// Shutdown (SIGTERM): stop polling, send what was collected, wait for the delivery (retrying at most
/// ``LoaderConfiguration/shutdownTimeout``), commit, close the consumer. A batch that could not be
/// inserted is not committed and loads on the next start.
struct LoaderPipeline: Service {
    let configuration: LoaderConfiguration
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let client: ClickHouseClient
    let migrator: SchemaMigrator
    let metrics: LoaderMetrics
    let logger: Logger

    func run() async throws {
        guard let dialect = try await migrateRetrying() else {
            try? await consumer.close()
            return
        }
        let eventEncoder = EventRowEncoder(dialect: dialect)
        let badRowEncoder = BadRowTableEncoder(dialect: dialect)
        let mode = configuration.insertMode.resolved(for: dialect)
        let buffers = BatchBufferPool(capacity: configuration.batch.maximumBytes + (1 << 20))
        let eventsTable = ClickHouseTable(
            client: client, name: "\(configuration.database).events", columns: eventEncoder.columnNames, dialect: dialect)
        let delivery = BatchDelivery(
            configuration: configuration, consumer: consumer, producer: producer, metrics: metrics, logger: logger,
            buffers: buffers,
            events: eventsTable,
            badRows: ClickHouseTable(
                client: client, name: "\(configuration.database).bad_rows", columns: badRowEncoder.columnNames, dialect: dialect))
        var topics = [configuration.enrichedTopic]
        if configuration.loadBadRows { topics.append(configuration.badTopic) }
        try consumer.subscribe(topics: topics)
        logger.info("loading", metadata: ["loader.insert_mode": "\(mode.rawValue)", "component": "loader"])

        var streamedPolicy = configuration.batch
        streamedPolicy.maximumBytes = configuration.batch.maximumStreamedBytes
        /// Partitions read again after a failed streamed insert: batches stay buffered until the
        /// records up to these offsets (exclusive) were taken again.
        var recovery: [KafkaTopicPartition: Int64] = [:]
        /// Deliveries not yet awaited, oldest first; at most two.
        var inFlight: [InFlightDelivery] = []
        var nextLagCheck = ContinuousClock.now + configuration.lagInterval

        /// The next batch: streamed unless the mode is buffered or a recovery is going on.
        func newBatch() -> PendingBatch {
            if !recovery.isEmpty {
                let assigned = Set(consumer.assignedPartitions)
                recovery = recovery.filter { assigned.contains($0.key) }
            }
            if mode == .streamed && recovery.isEmpty {
                return PendingBatch(capacity: StreamedEventInsert.chunkBytes + (256 << 10), streamed: true)
            }
            return PendingBatch(eventStorage: buffers.take())
        }
        var batch = newBatch()
        var state = BatchState(policy: batch.isStreamed ? streamedPolicy : configuration.batch)

        /// Starts the next batch, with the limits of its mode.
        func startNextBatch() {
            batch = newBatch()
            state = BatchState(policy: batch.isStreamed ? streamedPolicy : configuration.batch)
        }

        /// Hands the encoded rows of a streamed batch to its insert, opening the insert with the first chunk.
        func sendChunk() async throws {
            guard batch.events.count > 0 else { return }
            if batch.stream == nil { batch.stream = StreamedEventInsert(into: eventsTable) }
            let chunk = batch.events.take(reserving: StreamedEventInsert.chunkBytes + (256 << 10))
            try await batch.stream!.send(chunk)
        }

        /// Hands the batch to a delivery task at once — its insert may run beside the previous batch's,
        /// whose commit it waits for before committing its own — then starts the next batch, first
        /// waiting for the older delivery when two are running (which stops polling while ClickHouse
        /// is slow or down).
        func flush(_ reason: BatchState.FlushReason) async throws {
            if batch.isStreamed {
                try await sendChunk()
                batch.stream?.finish()
            }
            let taken = batch
            batch = PendingBatch()  // empty stand-in until the older delivery is done
            state.flushed()
            logger.debug("batch ready", metadata: ["batch.reason": "\(reason.rawValue)", "batch.records": "\(taken.recordCount)"])
            let previous = inFlight.last?.task
            let failed = DeliveryFailedFlag()
            inFlight.append(
                InFlightDelivery(
                    task: Task {
                        do {
                            try await delivery.deliver(taken, after: previous)
                        } catch {
                            failed.set()
                            throw error
                        }
                    },
                    failed: failed, firstOffsets: taken.firstOffsets, endOffsets: taken.endOffsets))
            if inFlight.count >= 2 {
                try await inFlight[0].task.value
                inFlight.removeFirst()
            }
            startNextBatch()
        }

        /// After a streamed insert failed: abandons the batch being filled and every delivery not
        /// committed, moves the consumer back to their first offsets, and loads those records again
        /// buffered (``InsertMode/streamed``).
        func rewind(after failure: StreamedInsertFailure, untaken: ArraySlice<KafkaConsumerRecord>) async throws {
            metrics.retries.increment()
            logger.warning(
                "streamed insert failed; reading its records again from Kafka to load them buffered",
                metadata: ["error.message": "\(failure.underlying)", "component": "loader"])
            var from: [KafkaTopicPartition: Int64] = [:]
            var until: [KafkaTopicPartition: Int64] = [:]
            func cover(_ first: [KafkaTopicPartition: Int64], _ end: [KafkaTopicPartition: Int64]) {
                for (partition, offset) in first { from[partition] = min(from[partition] ?? offset, offset) }
                for (partition, offset) in end { until[partition] = max(until[partition] ?? offset, offset) }
            }
            await batch.stream?.abort()
            cover(batch.firstOffsets, batch.endOffsets)
            for record in untaken {
                let partition = KafkaTopicPartition(topic: record.topic, partition: record.partition)
                cover([partition: record.offset], [partition: record.offset + 1])
            }
            // Deliveries commit in order, each after its predecessor: once one failed, every later one
            // fails too, and none of them committed.
            var failed = false
            for entry in inFlight {
                do {
                    try await entry.task.value
                } catch {
                    failed = true
                }
                if failed { cover(entry.firstOffsets, entry.endOffsets) }
            }
            inFlight.removeAll()
            try await consumer.seek(to: from)
            for (partition, end) in until { recovery[partition] = max(recovery[partition] ?? end, end) }
            startNextBatch()
        }

        do {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let records = try await consumer.poll(maximumRecords: configuration.recordsPerPoll)
                var next = records.startIndex
                do {
                    while next < records.endIndex {
                        let record = records[next]
                        next += 1
                        if !recovery.isEmpty {
                            let partition = KafkaTopicPartition(topic: record.topic, partition: record.partition)
                            if let end = recovery[partition], record.offset + 1 >= end { recovery[partition] = nil }
                        }
                        let now = ContinuousClock.now
                        let before = batch.events.count + batch.badRows.count
                        add(record, to: &batch, eventEncoder: eventEncoder, badRowEncoder: badRowEncoder)
                        let added = batch.events.count + batch.badRows.count - before
                        if batch.isStreamed && batch.events.count >= StreamedEventInsert.chunkBytes { try await sendChunk() }
                        if let reason = state.added(bytes: added, at: now) { try await flush(reason) }
                    }
                    if let reason = state.due(at: ContinuousClock.now) { try await flush(reason) }
                    // A delivery that failed (a streamed insert refused) is noticed here, not only when
                    // the next batch waits for it.
                    while let oldest = inFlight.first, inFlight.contains(where: { $0.failed.isSet }) {
                        try await oldest.task.value
                        inFlight.removeFirst()
                    }
                } catch let failure as StreamedInsertFailure where !Task.isShuttingDownGracefully && !Task.isCancelled {
                    try await rewind(after: failure, untaken: records[next...])
                }
                let now = ContinuousClock.now
                if now >= nextLagCheck {
                    nextLagCheck = now + configuration.lagInterval
                    if let lags = try? await consumer.lag(timeout: .seconds(2)) { metrics.record(lags: lags) }
                }
            }
            logger.info("stopping: sending the last batch", metadata: ["component": "loader"])
            if !state.isEmpty { try await flush(.shutdown) }
            while !inFlight.isEmpty {
                try await inFlight.removeFirst().task.value
            }
        } catch {
            // Let deliveries already in progress finish (or give up) before leaving; nothing of a
            // batch still being streamed is applied.
            await batch.stream?.abort()
            for delivery in inFlight { _ = try? await delivery.task.value }
            try? await consumer.close()
            throw error
        }
        try await consumer.close()
        logger.info("loader stopped", metadata: ["component": "loader"])
    }

    /// Brings the schema up to date, retrying while ClickHouse is unreachable; `nil` when asked to
    /// stop first.
    private func migrateRetrying() async throws -> ClickHouseDialect? {
        var backoff = RetryBackoff(initial: configuration.retryInitialBackoff, maximum: configuration.retryMaximumBackoff)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let outcome = try await migrator.migrate()
                logger.info(
                    "ClickHouse schema ready",
                    metadata: ["clickhouse.dialect": "\(outcome.dialect.rawValue)", "migration.applied": "\(outcome.applied.count)", "component": "loader"])
                return outcome.dialect
            } catch let error as FreshetError where error.isRetriable {
                let wait = backoff.next()
                metrics.retries.increment()
                logger.warning("ClickHouse not reachable for the schema migration; retrying", metadata: ["error.message": "\(error)", "retry.wait": "\(wait)"])
                try? await Task.sleep(for: wait)
            }
        }
        return nil
    }

    /// Turns one record into a row of the batch (or a bad row for the `bad` topic).
    private func add(
        _ record: KafkaConsumerRecord, to batch: inout PendingBatch, eventEncoder: EventRowEncoder,
        badRowEncoder: BadRowTableEncoder
    ) {
        batch.take(record)
        metrics.bytesReceived.increment(by: record.value.count)
        if record.topic == configuration.enrichedTopic {
            metrics.receivedEvents.increment()
            let start = batch.events.count
            let encoded: Result<Void, EventRowError> = record.value.withUnsafeBytes { bytes in
                do throws(EventRowError) {
                    try eventEncoder.encode(tsv: bytes, into: &batch.events)
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            switch encoded {
            case .success where batch.isStreamed:
                batch.streamedRowCount += 1
                batch.streamedBytes += batch.events.count - start
            case .success:
                batch.eventRowEnds.append(batch.events.count)
            case .failure(let error):
                metrics.unparsable.increment()
                logger.warning(
                    "enriched line cannot be loaded; sending it to the bad topic",
                    metadata: ["topic": "\(record.topic)", "kafka.partition": "\(record.partition)", "kafka.offset": "\(record.offset)", "error.message": "\(error)"])
                batch.parsingErrors.append(LoaderBadRow.parsingError(line: record.value, error: error))
            }
        } else {
            metrics.receivedBadRows.increment()
            badRowEncoder.encode(record, into: &batch.badRows)
            batch.badRowEnds.append(batch.badRows.count)
        }
    }
}

/// A batch handed to its delivery task, with the offsets it covers (to read it again if it fails).
struct InFlightDelivery {
    let task: Task<Void, any Error>
    /// Set when the delivery failed, so the consume loop notices without waiting for it.
    let failed: DeliveryFailedFlag
    let firstOffsets: [KafkaTopicPartition: Int64]
    let endOffsets: [KafkaTopicPartition: Int64]
}

/// A flag a delivery task sets when it fails. Thread-safe.
final class DeliveryFailedFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

/// Delivers one ``PendingBatch``: events, then bad rows, then the loader's own bad rows to Kafka, then —
/// once the previous batch's delivery finished — marks and commits its offsets. Runs on its own task; at
/// most two run at once, and commits happen in batch order.
struct BatchDelivery: Sendable {
    let configuration: LoaderConfiguration
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let metrics: LoaderMetrics
    let logger: Logger
    /// Where a delivered batch's event buffer goes back to, to be filled again.
    let buffers: BatchBufferPool
    let events: ClickHouseTable
    let badRows: ClickHouseTable

    /// Delivers `batch`; `previous` is the delivery of the batch before it, awaited before committing
    /// (its failure fails this one too, so nothing is committed past an undelivered batch).
    func deliver(_ batch: PendingBatch, after previous: Task<Void, any Error>? = nil) async throws {
        let started = ContinuousClock.now
        let stopDeadline = Mutex<ContinuousClock.Instant?>(nil)
        let timeout = configuration.shutdownTimeout
        let shouldGiveUp: @Sendable () -> Bool = {
            guard Task.isShuttingDownGracefully || Task.isCancelled else { return false }
            return stopDeadline.withLock { deadline in
                if deadline == nil { deadline = .now + timeout }
                return ContinuousClock.now >= deadline!
            }
        }
        let metrics = metrics, logger = logger
        let onRetry: @Sendable (any Error, Duration) -> Void = { error, wait in
            metrics.retries.increment()
            logger.warning(
                "ClickHouse insert failed; retrying",
                metadata: ["error.message": "\(error)", "retry.wait": "\(wait)", "component": "loader"])
        }
        let backoff = RetryBackoff(initial: configuration.retryInitialBackoff, maximum: configuration.retryMaximumBackoff)
        let token = batch.offsetToken

        var badRowsForKafka = batch.parsingErrors
        let decoder = EventRowDecoder(dialect: events.dialect)
        if batch.isStreamed, let stream = batch.stream {
            try await stream.outcome()
            metrics.insertedEvents.increment(by: batch.streamedRowCount)
            metrics.bytesSent.increment(by: batch.streamedBytes)
            metrics.batchRows.record(batch.streamedRowCount)
            metrics.batchBytes.record(batch.streamedBytes)
        } else if batch.eventRowCount > 0 {
            var inserter = BatchInserter(target: events, backoff: backoff, shouldGiveUp: shouldGiveUp, onRetry: onRetry)
            inserter.onInserted = { metrics.insertedEvents.increment(by: $0) }
            let whole = batch.events.bytes
            let rowCount = batch.eventRowCount
            let rejections = try await inserter.insert(rowCount: rowCount, token: "events:" + token) { rows in
                rows.count == rowCount ? whole : Array(batch.eventRowBytes(rows))
            }
            for rejection in rejections {
                metrics.rejected.increment()
                logger.warning(
                    "ClickHouse rejected a row; sending it to the bad topic",
                    metadata: ["error.message": "\(rejection.message)", "component": "loader"])
                let row = batch.eventRowBytes(rejection.row..<(rejection.row + 1))
                let line = decoder.tsvLine(row) ?? Array("(row could not be decoded)".utf8)
                badRowsForKafka.append(LoaderBadRow.runtimeError(line: line, message: rejection.message))
            }
            metrics.bytesSent.increment(by: whole.count)
            metrics.batchRows.record(rowCount)
            metrics.batchBytes.record(whole.count)
        }
        if batch.badRowCount > 0 {
            var inserter = BatchInserter(target: badRows, backoff: backoff, shouldGiveUp: shouldGiveUp, onRetry: onRetry)
            inserter.onInserted = { metrics.insertedBadRows.increment(by: $0) }
            let whole = batch.badRows.bytes
            let rowCount = batch.badRowCount
            let rejections = try await inserter.insert(rowCount: rowCount, token: "bad_rows:" + token) { rows in
                rows.count == rowCount ? whole : Array(batch.badRowBytes(rows))
            }
            for rejection in rejections {
                // Bad rows are loaded as plain text; a refusal here is left on the bad topic (not re-sent to it, which would loop).
                metrics.rejected.increment()
                logger.error("ClickHouse rejected a bad row; it stays on the bad topic only", metadata: ["error.message": "\(rejection.message)"])
            }
            metrics.bytesSent.increment(by: whole.count)
        }
        if !badRowsForKafka.isEmpty {
            try await sendBadRows(badRowsForKafka, backoff: backoff, shouldGiveUp: shouldGiveUp, onRetry: onRetry)
        }
        metrics.insertLatency.recordInterval(since: started)
        logger.debug(
            "batch delivered",
            metadata: ["batch.rows": "\(batch.eventRowCount)", "batch.bytes": "\(batch.events.count)", "batch.seconds": "\(ContinuousClock.now - started)"])
        if !batch.isStreamed { buffers.recycle(batch.eventStorage) }
        if let previous { try await previous.value }
        try consumer.markProcessed(batch.lastRecords.values)
        do {
            try await consumer.commit()
        } catch {
            logger.warning("Kafka commit failed; the offsets are committed with the next batch", metadata: ["error.message": "\(error)"])
        }
    }

    private func sendBadRows(
        _ rows: [[UInt8]], backoff: RetryBackoff, shouldGiveUp: @Sendable () -> Bool, onRetry: (any Error, Duration) -> Void
    ) async throws {
        var pending = rows.map { KafkaProducerRecord(topic: configuration.badTopic, key: nil, value: $0) }
        var backoff = backoff
        while true {
            let delivery = try await producer.send(pending)
            metrics.deliveredBadRows.increment(by: pending.count - delivery.failures.count)
            guard let first = delivery.failures.first else { return }
            pending = delivery.failures.map { pending[$0.index] }
            guard !shouldGiveUp() else {
                throw FreshetError(
                    .loaderBadRowNotDelivered, "gave up delivering \(pending.count) bad rows while stopping: \(first.error); the batch was not committed",
                    retriable: true, underlying: first.error)
            }
            let wait = backoff.next()
            onRetry(first.error, wait)
            try await Task.sleep(for: wait)
        }
    }
}

extension Metrics.Timer {
    /// Records the time elapsed since `start`.
    fileprivate func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
