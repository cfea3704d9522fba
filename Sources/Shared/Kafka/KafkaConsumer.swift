import CRdKafka
import Dispatch
import Logging
import Metrics
import Synchronization

/// A consumer-group member: reads records of the topics it subscribed to, from the partitions the group
/// assigns it, and commits only the offsets of records the application marked processed.
///
/// ```swift
/// let consumer = try KafkaConsumer(configuration: .init(bootstrapServers: servers, groupID: "enricher"), logger: logger)
/// try consumer.subscribe(topics: ["raw"])
/// for try await record in consumer.records {
///     try await process(record)
///     try consumer.markProcessed(record)     // committed in the background (autoCommit) or by commit()
/// }
/// try await consumer.close()
/// ```
///
/// Delivery: at-least-once. A record's offset is stored only when it is marked processed
/// (`enable.auto.offset.store=false`) and committed every ``KafkaConsumerConfiguration/autoCommitInterval``,
/// by ``commit()``, when partitions are revoked in a rebalance and on ``close()``. After a partition is
/// revoked, marking a record fetched from it before the revoke is a no-op: the new owner's progress is
/// never overwritten.
///
/// Threading: every librdkafka call that can block (polling, commit, close, watermark queries) runs on
/// the consumer's own serial ``BlockingExecutor``, never on the cooperative pool; rebalance callbacks
/// run there too, inside a poll. ``markProcessed(_:)`` does not block and may be called from any task.
/// Keep polling (iterating ``records``) at least every ``KafkaConsumerConfiguration/maximumPollInterval``:
/// rebalances are served only while polling.
///
/// Lifetime: call ``close()`` before dropping the last reference, to commit and leave the group at once.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let executor: BlockingExecutor
    private let assignment: KafkaConsumerAssignmentLock
    private let configuration: KafkaConsumerConfiguration
    private let logger: Logger
    private let metrics: KafkaConsumerMetrics

    /// Creates the consumer. It joins its group after ``subscribe(topics:)``, on the first polls.
    ///
    /// - Throws: ``FreshetError/Code/kafkaRuntimeTooOld``, ``FreshetError/Code/kafkaInvalidConfiguration``
    ///   naming a property librdkafka refused, or ``FreshetError/Code/kafkaClientCreationFailed``.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        try KafkaRuntime.requireSupportedVersion()
        var logger = logger
        logger[metadataKey: "component"] = "kafka.consumer"
        logger[metadataKey: "kafka.group"] = "\(configuration.groupID)"
        self.logger = logger
        self.configuration = configuration
        let assignment = KafkaConsumerAssignmentLock()
        self.assignment = assignment
        let metrics = KafkaConsumerMetrics(group: configuration.groupID)
        self.metrics = metrics
        let callbacks = RDKafkaCallbacks(logger: logger, component: "kafka.consumer") {
            [logger] kafka, event, partitions in
            Self.rebalance(
                kafka: kafka, event: event, partitions: partitions, assignment: assignment, metrics: metrics,
                logger: logger)
        }
        client = try RDKafkaClient(
            kind: .consumer, properties: configuration.librdkafkaProperties, callbacks: callbacks)
        executor = BlockingExecutor(label: "freshet.kafka.consumer.\(configuration.groupID)")
        logger.info(
            "Kafka consumer created",
            metadata: [
                "kafka.bootstrap_servers": "\(configuration.bootstrapServers.joined(separator: ","))",
                "kafka.librdkafka_version": "\(KafkaRuntime.versionString)",
            ]
        )
    }

    deinit {
        // rd_kafka_destroy of an unclosed consumer leaves the group and blocks: let the last reference
        // go on a dispatch thread rather than on whichever (maybe cooperative) thread runs this deinit.
        let client = client
        DispatchQueue.global().async { withExtendedLifetime(client) {} }
    }

    /// Subscribes to `topics` (replacing any earlier subscription). Partitions are assigned by the group
    /// on the following polls. Non-blocking.
    public func subscribe(topics: [String]) throws {
        let list = RDKafkaTopicPartitionList(capacity: topics.count)
        for topic in topics { list.add(topic: topic, partition: RD_KAFKA_PARTITION_UA) }
        let error = client.withHandle { handle in list.withPointer { rd_kafka_subscribe(handle, $0) } }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw FreshetError.kafka(.kafkaSubscribeFailed, "could not subscribe to \(topics)", error: error)
        }
        logger.info("Kafka consumer subscribed", metadata: ["topic": "\(topics.joined(separator: ","))"])
    }

    /// The records, as an asynchronous sequence that fetches in batches of
    /// ``KafkaConsumerConfiguration/maximumRecordsPerPoll``. It ends when the consumer is closed or the
    /// iterating task is cancelled. Iterate from one task at a time.
    public var records: KafkaConsumerRecords { KafkaConsumerRecords(consumer: self) }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { assignment.withLock { $0.isClosed } }

    /// The partitions assigned to this consumer now.
    public var assignedPartitions: [KafkaTopicPartition] { assignment.withLock { $0.partitions } }

    /// Fetches up to `maximumRecords` records (default ``KafkaConsumerConfiguration/maximumRecordsPerPoll``),
    /// waiting at most ``KafkaConsumerConfiguration/pollTimeout`` for the first; may return none.
    /// Serves rebalances and librdkafka's log lines as a side effect.
    ///
    /// - Throws: ``FreshetError/Code/kafkaClosed`` after ``close()``; a non-retriable
    ///   ``FreshetError/Code/kafkaConsumeFailed`` when librdkafka reports a fatal error.
    public func poll(maximumRecords: Int? = nil) async throws -> [KafkaConsumerRecord] {
        let limit = max(1, maximumRecords ?? configuration.maximumRecordsPerPoll)
        let timeout = Int32(clamping: configuration.pollTimeout.wholeMilliseconds)
        let client = client, assignment = assignment, logger = logger
        let records = try await executor.run { () throws -> [KafkaConsumerRecord] in
            guard !assignment.withLock({ $0.isClosed }) else {
                throw FreshetError(.kafkaClosed, "the Kafka consumer was closed", retriable: false)
            }
            return try client.withHandle { handle in
                try Self.fetch(handle: handle, limit: limit, timeout: timeout, assignment: assignment, logger: logger)
            }
        }
        metrics.received(records)
        return records
    }

    /// Marks `record` processed: its offset + 1 is stored for the next commit. Non-blocking.
    ///
    /// - Returns: `false` (and stores nothing) when the record's partition was revoked since it was
    ///   fetched, or the consumer is closing; `true` when the offset was stored.
    /// - Throws: ``FreshetError/Code/kafkaCommitFailed`` if librdkafka refuses to store the offset.
    @discardableResult
    public func markProcessed(_ record: KafkaConsumerRecord) throws -> Bool {
        try markProcessed(CollectionOfOne(record)) == 1
    }

    /// Marks many records processed at once, storing the highest offset per partition.
    ///
    /// - Returns: how many of `records` belong to partitions still assigned under the assignment they
    ///   were fetched in (and were therefore marked); the others are ignored.
    @discardableResult
    public func markProcessed(_ records: some Sequence<KafkaConsumerRecord>) throws -> Int {
        var highest: [KafkaTopicPartition: Highest] = [:]
        for record in records {
            let key = KafkaTopicPartition(topic: record.topic, partition: record.partition)
            if var current = highest[key], current.generation == record.assignmentGeneration {
                current.offset = max(current.offset, record.offset)
                current.count += 1
                highest[key] = current
            } else if highest[key].map({ record.assignmentGeneration > $0.generation }) ?? true {
                highest[key] = Highest(offset: record.offset, generation: record.assignmentGeneration, count: 1)
            }
        }
        guard !highest.isEmpty else { return 0 }
        let client = client
        // Under the lock, so a revoke cannot slip in between the check and the store.
        return try assignment.withLock { assignment in
            let list = RDKafkaTopicPartitionList(capacity: highest.count)
            var marked = 0
            for (partition, mark) in highest where assignment.mayMark(partition, fetchedUnder: mark.generation) {
                list.add(topic: partition.topic, partition: partition.partition, offset: mark.offset + 1)
                marked += mark.count
            }
            guard marked > 0 else { return 0 }
            let error = client.withHandle { handle in list.withPointer { rd_kafka_offsets_store(handle, $0) } }
            if error == RD_KAFKA_RESP_ERR__STATE { return 0 }  // none of them is assigned any more
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw FreshetError.kafka(.kafkaCommitFailed, "could not store consumer offsets", error: error)
            }
            return marked
        }
    }

    private struct Highest {
        var offset: Int64
        var generation: UInt64
        var count: Int
    }

    /// Commits the stored offsets now and waits for the broker's answer. Nothing stored is not an error.
    ///
    /// - Throws: ``FreshetError/Code/kafkaCommitFailed`` (retriable when the coordinator was away).
    public func commit() async throws {
        let client = client
        let error = try await executor.run { client.withHandle { rd_kafka_commit($0, nil, 0) } }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw FreshetError.kafka(.kafkaCommitFailed, "could not commit consumer offsets", error: error)
        }
    }

    /// Moves the fetch position of assigned partitions to `offsets` (the offset of the next record to
    /// return): the following polls return records from there. Records fetched from those partitions
    /// before the call and not yet returned are discarded. Partitions not assigned to this consumer now
    /// are skipped (their next owner starts from the committed offset). Used to read records again
    /// whose processing must be redone, e.g. the loader after a streamed insert failed.
    ///
    /// - Returns: the partitions moved.
    /// - Throws: ``FreshetError/Code/kafkaSeekFailed`` when librdkafka refuses the seek of a partition.
    @discardableResult
    public func seek(to offsets: [KafkaTopicPartition: Int64], timeout: Duration = .seconds(10)) async throws -> [KafkaTopicPartition] {
        let client = client, assignment = assignment, logger = logger
        return try await executor.run { () throws -> [KafkaTopicPartition] in
            let assigned = Set(assignment.withLock { $0.partitions })
            let moved = offsets.keys.filter { assigned.contains($0) }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            guard !moved.isEmpty else { return [] }
            let list = RDKafkaTopicPartitionList(capacity: moved.count)
            for partition in moved { list.add(topic: partition.topic, partition: partition.partition, offset: offsets[partition]!) }
            let failure = client.withHandle { handle in
                list.withPointer { rd_kafka_seek_partitions(handle, $0, Int32(clamping: timeout.wholeMilliseconds)) }
            }
            if let failure {
                let message = String(cString: rd_kafka_error_string(failure))
                rd_kafka_error_destroy(failure)
                throw FreshetError(.kafkaSeekFailed, "could not seek \(moved.count) partitions: \(message)", retriable: true)
            }
            for entry in list.entries where entry.error != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw FreshetError.kafka(.kafkaSeekFailed, "could not seek \(entry.topic)[\(entry.partition)] to \(entry.offset)", error: entry.error)
            }
            logger.info(
                "Kafka consumer moved back", metadata: ["kafka.offsets": "\(moved.map { "\($0.topic):\($0.partition)@\(offsets[$0]!)" }.joined(separator: ","))"])
            return moved
        }
    }

    /// The offsets the group committed for `partitions` of `topic` (the offset of the next record to
    /// read), `nil` for a partition without a committed offset. Asks the group coordinator.
    public func committedOffsets(
        topic: String, partitions: [Int32], timeout: Duration = .seconds(5)
    ) async throws -> [Int32: Int64?] {
        let client = client
        return try await executor.run {
            let list = RDKafkaTopicPartitionList(capacity: partitions.count)
            for partition in partitions { list.add(topic: topic, partition: partition) }
            let error = client.withHandle { handle in
                list.withPointer { rd_kafka_committed(handle, $0, Int32(clamping: timeout.wholeMilliseconds)) }
            }
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw FreshetError.kafka(
                    .kafkaCommitFailed, "could not read committed offsets of '\(topic)'", error: error)
            }
            var result: [Int32: Int64?] = [:]
            for entry in list.entries { result[entry.partition] = entry.offset >= 0 ? entry.offset : nil }
            return result
        }
    }

    /// How far behind this consumer is on each assigned partition: the high watermark (asked from the
    /// broker, or seen in the latest fetch response if that is larger) minus the consumer's position. Also records the gauge
    /// `freshet_kafka_consumer_lag{topic,partition,group}`.
    ///
    /// The position counts records fetched by this consumer, including those buffered in a
    /// ``records`` iterator but not yet handed out (at most one batch).
    public func lag(timeout: Duration = .seconds(5)) async throws -> [KafkaPartitionLag] {
        let client = client
        let offsetReset = configuration.offsetReset
        let milliseconds = Int32(clamping: timeout.wholeMilliseconds)
        let lags = try await executor.run { () throws -> [KafkaPartitionLag] in
            try client.withHandle { handle in
                var assigned: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
                let error = rd_kafka_assignment(handle, &assigned)
                guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let assigned else {
                    throw FreshetError.kafka(
                        .kafkaConsumeFailed, "could not read the consumer's assignment", error: error)
                }
                let positions = RDKafkaTopicPartitionList(taking: assigned)
                _ = positions.withPointer { rd_kafka_position(handle, $0) }
                var lags: [KafkaPartitionLag] = []
                for entry in positions.entries {
                    var low: Int64 = 0, high: Int64 = 0
                    let watermarkError = rd_kafka_query_watermark_offsets(
                        handle, entry.topic, entry.partition, &low, &high, milliseconds)
                    guard watermarkError == RD_KAFKA_RESP_ERR_NO_ERROR else {
                        throw FreshetError.kafka(
                            .kafkaConsumeFailed, "could not read the watermarks of \(entry.topic)[\(entry.partition)]",
                            error: watermarkError
                        )
                    }
                    // Also take the watermark of the latest fetch response: Tansu 0.6 answers ListOffsets
                    // (what rd_kafka_query_watermark_offsets asks) with the last *batch's* base offset + 1,
                    // while its fetch responses carry the true high watermark. The larger is the fresher.
                    var cachedLow: Int64 = 0, cachedHigh: Int64 = 0
                    if rd_kafka_get_watermark_offsets(handle, entry.topic, entry.partition, &cachedLow, &cachedHigh)
                        == RD_KAFKA_RESP_ERR_NO_ERROR
                    {
                        high = max(high, cachedHigh)
                    }
                    let position: Int64? = entry.offset >= 0 ? entry.offset : nil
                    let start = position ?? (offsetReset == .earliest ? low : high)
                    lags.append(
                        KafkaPartitionLag(
                            topic: entry.topic, partition: entry.partition, highWatermark: high, position: position,
                            lag: max(0, high - start)
                        )
                    )
                }
                return lags
            }
        }
        metrics.record(lags)
        return lags
    }

    /// Commits what is stored, leaves the group (revoking the partitions, which commits again) and
    /// stops fetching. Records marked after this are ignored. Safe to call more than once.
    public func close() async throws {
        let first = assignment.withLock { assignment -> Bool in
            defer { assignment.close() }
            return !assignment.isClosed
        }
        guard first else { return }
        let client = client
        // Records marked before close are stored; the revoke in rd_kafka_consumer_close commits them.
        let error = try await executor.run { client.withHandle { rd_kafka_consumer_close($0) } }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw FreshetError.kafka(.kafkaCommitFailed, "closing the Kafka consumer failed", error: error)
        }
        logger.info("Kafka consumer closed")
    }

    // MARK: - On the executor thread

    /// Polls up to `limit` records: waits `timeout` ms for the first, then takes what is ready.
    private static func fetch(
        handle: OpaquePointer, limit: Int, timeout: Int32, assignment: KafkaConsumerAssignmentLock, logger: Logger
    ) throws -> [KafkaConsumerRecord] {
        var records: [KafkaConsumerRecord] = []
        var wait = timeout
        while records.count < limit, let message = rd_kafka_consumer_poll(handle, wait) {
            defer { rd_kafka_message_destroy(message) }
            wait = 0
            let error = message.pointee.err
            if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                try report(consumeError: error, message: message, handle: handle, logger: logger)
                continue
            }
            let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
            let partition = KafkaTopicPartition(topic: topic, partition: message.pointee.partition)
            let generation = assignment.withLock { $0.generation(of: partition) } ?? 0
            records.append(KafkaConsumerRecord(message: message, topic: topic, assignmentGeneration: generation))
        }
        return records
    }

    private static func report(
        consumeError error: rd_kafka_resp_err_t, message: UnsafeMutablePointer<rd_kafka_message_t>,
        handle: OpaquePointer,
        logger: Logger
    ) throws {
        if error == RD_KAFKA_RESP_ERR__PARTITION_EOF { return }
        let reason = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? ""
        var fatalText = [CChar](repeating: 0, count: 512)
        let fatal = rd_kafka_fatal_error(handle, &fatalText, fatalText.count)
        if fatal != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw FreshetError.kafka(
                .kafkaConsumeFailed, "the Kafka consumer hit a fatal error", error: fatal,
                reason: RDKafkaClient.text(fatalText))
        }
        logger.warning(
            "Kafka consume error",
            metadata: ["error.code": "\(String(cString: rd_kafka_err2name(error)))", "error.message": "\(reason)"]
        )
    }

    /// The rebalance callback: keeps ``KafkaConsumerAssignment`` in step with librdkafka and commits
    /// stored offsets before giving partitions up, then records the number of partitions now assigned.
    /// Runs inside a poll or close, on the executor thread.
    private static func rebalance(
        kafka: OpaquePointer, event: rd_kafka_resp_err_t,
        partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>,
        assignment: KafkaConsumerAssignmentLock, metrics: KafkaConsumerMetrics, logger: Logger
    ) {
        defer { metrics.assigned(assignment.withLock { $0.count }) }
        let entries = RDKafkaTopicPartitionList.entries(of: partitions).map {
            KafkaTopicPartition(topic: $0.topic, partition: $0.partition)
        }
        let cooperative = rd_kafka_rebalance_protocol(kafka).map { String(cString: $0) } == "COOPERATIVE"
        let described = entries.map(\.description).joined(separator: ",")
        switch event {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            assignment.withLock { $0.assign(entries, incremental: cooperative) }
            if cooperative {
                if let error = rd_kafka_incremental_assign(kafka, partitions) { rd_kafka_error_destroy(error) }
            } else {
                _ = rd_kafka_assign(kafka, partitions)
            }
            logger.info("Kafka partitions assigned", metadata: ["kafka.partitions": "\(described)"])
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            // From here on, marks of these partitions are no-ops; then commit what was marked before.
            assignment.withLock { $0.revoke(entries) }
            if rd_kafka_assignment_lost(kafka) == 0 {
                let error = rd_kafka_commit(kafka, nil, 0)
                if error != RD_KAFKA_RESP_ERR_NO_ERROR, error != RD_KAFKA_RESP_ERR__NO_OFFSET {
                    logger.warning(
                        "Kafka commit on revoke failed",
                        metadata: [
                            "error.code": "\(String(cString: rd_kafka_err2name(error)))",
                            "kafka.partitions": "\(described)",
                        ]
                    )
                }
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(kafka, partitions) { rd_kafka_error_destroy(error) }
            } else {
                _ = rd_kafka_assign(kafka, nil)
            }
            logger.info("Kafka partitions revoked", metadata: ["kafka.partitions": "\(described)"])
        default:
            assignment.withLock { $0.revokeAll() }
            _ = rd_kafka_assign(kafka, nil)
            logger.error(
                "Kafka rebalance failed", metadata: ["error.code": "\(String(cString: rd_kafka_err2name(event)))"])
        }
    }
}
