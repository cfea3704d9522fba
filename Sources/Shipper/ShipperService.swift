import Foundation
import Logging
import ServiceLifecycle
import Shared
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Follows the log files of the configured inputs and ships every line to Kafka, at least once.
///
/// One loop (``run()``) owns the followed files: it lists the directories every `scanInterval`, reads
/// batches of complete lines from each file in turn, and hands every batch to a delivery task. The
/// delivery task sends the batch, sends again what Kafka did not acknowledge (with a growing pause)
/// until everything is acknowledged, then marks the batch in the ``ShippingLedger``. The registry is
/// written from the ledger — acknowledged offsets only — at most every `registryFlushInterval`.
///
/// Back-pressure: before each read the loop waits for room in the ``InFlightBudget``; when Kafka is
/// slow or away, deliveries stop returning room and reading pauses; the records held in memory stay
/// within the budget. Nothing is skipped: a batch is retried until it is acknowledged, and the
/// registry never moves past an unacknowledged line.
///
/// Graceful shutdown (SIGTERM): stop reading, wait up to `shutdownTimeout` for batches in flight,
/// stop the producer (which fails what is left, to be sent again after the restart), write the
/// registry, return.
///
/// Threading: the loop's state (the files) is touched only by ``run()``'s task and, for blocking file
/// work, by the reader executor while that task awaits it. Everything shared with the delivery tasks is
/// in thread-safe types (`ledger`, `budget`, `producers`, atomics).
final class ShipperService: Service, @unchecked Sendable {
    private let configuration: ShipperConfiguration
    private let logger: Logger
    private let metrics = ShipperMetrics()
    private let encoder: LineEncoder
    private let store: RegistryStore
    private let producers: ProducerSlot
    private let ledger = ShippingLedger()
    private let budget: InFlightBudget
    private let reader = BlockingExecutor(label: "freshet.shipper.reader")
    private let readBuffer = ReadBuffer()
    private let registryWriter = BlockingExecutor(label: "freshet.shipper.registry")
    private let maxRecordBytes: Int
    private let directoryLocks: [Int32]

    private let stopping = Atomic<Bool>(false)
    private let deliveryStopping = Atomic<Bool>(false)
    private let registryWriteInFlight = Atomic<Bool>(false)
    private let lastRegistryWriteFailed = Atomic<Bool>(false)

    // Loop-confined state.
    private var files: [Int: TailedFile] = [:]
    private var order: [Int] = []
    private var nextFileID = 0
    private var recorded: [FileIdentity: ResumeRule.Known] = [:]
    private var formerContents: [(known: ResumeRule.Known, until: ContinuousClock.Instant)] = []
    private var writtenVersion = -1

    /// Takes the input directories' locks and the registry's, and loads the registry.
    ///
    /// - Throws: ``FreshetError/Code/shipperDirectoryLocked`` when another shipper owns an input or the
    ///   registry; ``FreshetError/Code/shipperRegistryUnreadable``; Kafka client errors.
    init(configuration: ShipperConfiguration, logger: Logger) throws {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "component"] = "shipper"
        self.logger = logger
        encoder = LineEncoder(
            codec: configuration.codec, key: configuration.key, topic: configuration.topic,
            badTopic: configuration.badTopic)
        var locks: [Int32] = []
        do {
            for input in configuration.inputs {
                try FileManager.default.createDirectory(atPath: input.directory, withIntermediateDirectories: true)
                locks.append(
                    try DirectoryLock.acquire(
                        path: DirectoryLock.lockPath(directory: input.directory),
                        what: "the input directory \(input.directory)"))
            }
        } catch {
            for fd in locks { close(fd) }
            throw error
        }
        directoryLocks = locks
        store = try RegistryStore(path: configuration.registryPath)
        let registry = try store.load()
        for entry in registry.files {
            guard let fingerprint = entry.fingerprint else { continue }
            recorded[fingerprint.identity] = ResumeRule.Known(
                fingerprint: fingerprint, acknowledgedOffset: entry.offset, path: entry.path)
        }
        budget = InFlightBudget(maxRecords: configuration.maxInFlightRecords, maxBytes: configuration.maxInFlightBytes)
        var producerConfiguration = configuration.producer
        producerConfiguration.shutdownFlushTimeout = configuration.shutdownTimeout
        producers = try ProducerSlot(configuration: producerConfiguration, logger: logger)
        maxRecordBytes = configuration.producer.additionalProperties["message.max.bytes"].flatMap(Int.init) ?? 1_000_000
        logger.info(
            "shipper started",
            metadata: [
                "inputs": "\(configuration.inputs.map { $0.directory + "/" + $0.pattern }.joined(separator: " "))",
                "topic": "\(configuration.topic)", "registry": "\(configuration.registryPath)",
                "registry.files": "\(registry.files.count)",
            ])
    }

    deinit { for fd in directoryLocks { close(fd) } }

    /// `/ready`: the registry's directory accepts writes and the last registry write succeeded.
    var registryReadiness: ReadinessCheck {
        ReadinessCheck("registry") { [self] in
            try store.checkWritable()
            if lastRegistryWriteFailed.load(ordering: .relaxed) {
                throw FreshetError(.shipperRegistryWriteFailed, "the last registry write failed", retriable: true)
            }
        }
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                await shipUntilStopped(group: &group)
                await drainInFlight()
            }
            await writeRegistry(force: true)
            logger.info("shipper stopped", metadata: ["files": "\(files.count)"])
            for file in files.values { file.close() }
        } onGracefulShutdown: { [self] in
            logger.info("shutdown requested: stop reading, deliver what is in flight")
            stopping.store(true, ordering: .relaxed)
            budget.close()
        }
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) }

    // MARK: The loop

    private func shipUntilStopped(group: inout DiscardingTaskGroup) async {
        var nextScan = ContinuousClock.now
        var nextRegistryWrite = ContinuousClock.now + configuration.registryFlushInterval
        while !isStopping {
            let now = ContinuousClock.now
            if now >= nextScan {
                await scan()
                nextScan = ContinuousClock.now + configuration.scanInterval
            }
            var readSomething = false
            for id in order {
                guard let file = files[id], file.state.wantsReading else { continue }
                await budget.waitForRoom()
                if isStopping { break }
                if await readAndDispatch(file, group: &group) { readSomething = true }
            }
            advanceStates()
            if ContinuousClock.now >= nextRegistryWrite {
                await writeRegistry(force: false, group: &group)
                nextRegistryWrite = ContinuousClock.now + configuration.registryFlushInterval
            }
            metrics.inFlightRecords.record(Double(budget.records))
            if !readSomething { await pause(configuration.pollInterval, stop: stopping) }
        }
    }

    /// Reads one batch from `file` and hands it to a delivery task; `true` when lines were read.
    private func readAndDispatch(_ file: TailedFile, group: inout DiscardingTaskGroup) async -> Bool {
        let configuration = configuration, encoder = encoder, maxRecordBytes = maxRecordBytes, readBuffer = readBuffer
        let result: TailedFile.ReadResult
        do {
            result = try await reader.run {
                try file.read(
                    into: readBuffer, maxLines: configuration.batchRecords, chunkBytes: configuration.readChunkBytes,
                    maxLineBytes: configuration.maxLineBytes, maxRecordBytes: maxRecordBytes,
                    fingerprintBytes: configuration.fingerprintBytes, encoder: encoder)
            }
        } catch {
            metrics.readErrors.increment()
            logger.error("cannot read a log file", metadata: ["file": "\(file.path)", "error.message": "\(error)"])
            return false
        }
        switch result {
        case .batch(let start, let end, let records, let lines, let badLines, let bytes):
            metrics.linesRead.increment(by: lines)
            metrics.bytesRead.increment(by: Int(end - start))
            if badLines > 0 { metrics.badLines.increment(by: badLines) }
            let generation = ledger.begin(file.id, end: end)
            budget.add(records: records.count, bytes: bytes)
            let batch = Batch(fileID: file.id, end: end, generation: generation, records: records, bytes: bytes)
            group.addTask { await self.deliver(batch) }
            return true
        case .nothingNew(let atEnd):
            if atEnd, file.state == .draining {
                transition(file, .reachedEnd(allAcknowledged: ledger.status(file.id)?.idle ?? true))
            }
            return false
        case .truncated:
            let (next, action) = file.state.after(.truncated, now: .now)
            file.state = next
            if action == .restartFromBeginning {
                let fingerprintBytes = configuration.fingerprintBytes
                let old =
                    (try? await reader.run { file.restartAfterTruncation(fingerprintBytes: fingerprintBytes) })
                    ?? file.fingerprint
                let acknowledged = ledger.restart(file.id, at: 0)
                formerContents.append(
                    (
                        ResumeRule.Known(fingerprint: old, acknowledgedOffset: acknowledged, path: file.path),
                        .now + .seconds(600)
                    ))
                logger.warning(
                    "log file truncated: shipping it again from its beginning",
                    metadata: ["file": "\(file.path)", "acknowledged_offset": "\(acknowledged)"])
            }
            return true
        }
    }

    /// Moves files whose batches are all acknowledged on, and applies retention and clean-up.
    private func advanceStates() {
        let now = ContinuousClock.now
        for id in order {
            guard let file = files[id] else { continue }
            if file.state == .awaitingAcknowledgements, ledger.status(id)?.idle == true {
                transition(file, .acknowledged(allAcknowledged: true, endReached: true))
            }
            if case .shipped = file.state {
                let retention = CollectorLogNaming.isFinished(file.name) ? configuration.finishedFileRetention : nil
                transition(file, .tick(now: now, retention: retention, vanished: !file.seenInLastScan))
            }
        }
    }

    private func transition(_ file: TailedFile, _ event: TailedFileState.Event) {
        let (next, action) = file.state.after(event, now: .now)
        file.state = next
        switch action {
        case .none, .restartFromBeginning: break
        case .cleanUp:
            cleanUp(file)
            forget(file)
        case .forget:
            forget(file)
        }
    }

    private func forget(_ file: TailedFile) {
        file.close()
        ledger.close(file.id)
        files[file.id] = nil
        order.removeAll { $0 == file.id }
        metrics.forget(file: file.path)
        metrics.files.record(Double(files.count))
    }

    /// Deletes the shipped file, or moves it to `shippedDirectory` — only if its path still names it.
    private func cleanUp(_ file: TailedFile) {
        var info = stat()
        guard stat(file.path, &info) == 0, UInt64(info.st_ino) == file.identity.inode,
            UInt64(info.st_dev) == file.identity.device
        else { return }
        let result: Int32
        if let directory = configuration.shippedDirectory {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            result = rename(file.path, directory + "/" + file.name)
        } else {
            result = unlink(file.path)
        }
        if result == 0 {
            metrics.filesCleanedUp.increment()
            logger.info(
                "shipped file cleaned up",
                metadata: ["file": "\(file.path)", "moved_to": "\(configuration.shippedDirectory ?? "-")"])
        } else {
            metrics.cleanUpErrors.increment()
            logger.error(
                "cannot clean up a shipped file",
                metadata: ["file": "\(file.path)", "error.message": "\(String(cString: strerror(errno)))"])
        }
    }

    // MARK: Scanning

    private func scan() async {
        let now = ContinuousClock.now
        formerContents.removeAll { $0.until < now }
        for input in configuration.inputs {
            let entries: [LogDirectoryScanner.Entry]
            do {
                entries = try await reader.run { try LogDirectoryScanner.scan(input) }
            } catch {
                metrics.readErrors.increment()
                logger.error(
                    "cannot list an input directory",
                    metadata: ["directory": "\(input.directory)", "error.message": "\(error)"])
                continue
            }
            var byIdentity: [FileIdentity: LogDirectoryScanner.Entry] = [:]
            for entry in entries { byIdentity[entry.identity] = entry }
            for id in order {
                guard let file = files[id], file.input == input else { continue }
                if let entry = byIdentity.removeValue(forKey: file.identity) {
                    file.path = entry.path
                    file.name = entry.name
                    file.seenInLastScan = true
                    if file.state == .following, CollectorLogNaming.isFinished(entry.name) {
                        transition(file, .finished)
                    }
                } else {
                    file.seenInLastScan = false
                    if file.state == .following { transition(file, .vanished) }
                }
                if let status = ledger.status(id) {
                    metrics.setBytesBehind(max(0, file.currentSize() - status.acknowledgedOffset), file: file.path)
                }
            }
            // New files: those the registry knows first, then the others (which may be copies of them).
            let fresh = entries.filter { byIdentity[$0.identity] != nil }
            for entry in fresh.filter({ recorded[$0.identity] != nil }) + fresh.filter({ recorded[$0.identity] == nil })
            {
                await follow(entry, input: input)
            }
        }
        // After the first scan, registry entries without a file are only kept to recognise copies.
        for known in recorded.values { formerContents.append((known, now + .seconds(600))) }
        recorded.removeAll()
        metrics.files.record(Double(files.count))
    }

    private func follow(_ entry: LogDirectoryScanner.Entry, input: LogInput) async {
        let id = nextFileID
        nextFileID += 1
        let fingerprintBytes = configuration.fingerprintBytes
        let live: [ResumeRule.Known] = order.compactMap { id in
            guard let file = files[id], let status = ledger.status(id) else { return nil }
            return ResumeRule.Known(
                fingerprint: file.fingerprint, acknowledgedOffset: status.acknowledgedOffset, path: file.path)
        }
        let contents = live + formerContents.map(\.known) + recorded.values
        let recorded = recorded
        let opened = try? await reader.run { () -> (TailedFile, ResumeRule.Decision)? in
            guard
                let file = TailedFile(
                    id: id, path: entry.path, name: entry.name, input: input, fingerprintBytes: fingerprintBytes)
            else { return nil }
            let decision = ResumeRule.decide(
                identity: file.identity, hashOfFirst: file.hashOfFirst, recorded: recorded, contents: contents)
            return (file, decision)
        }
        guard let (file, decision) = opened ?? nil else { return }
        guard files.values.allSatisfy({ $0.identity != file.identity }) else { return }  // renamed between list and open
        var offset: Int64 = 0
        switch decision {
        case .sameFile(let resumed):
            offset = resumed
            self.recorded[file.identity] = nil
        case .copy(let original, let copied):
            offset = copied
            logger.info(
                "a copy of a shipped file: continuing where the original was acknowledged",
                metadata: ["file": "\(entry.path)", "original": "\(original)", "offset": "\(copied)"])
        case .newFile:
            offset = 0
        }
        file.start(at: offset)
        ledger.open(id, acknowledgedOffset: offset)
        files[id] = file
        order.append(id)
        if CollectorLogNaming.isFinished(entry.name) { transition(file, .finished) }
        logger.info(
            "following log file",
            metadata: ["file": "\(entry.path)", "offset": "\(offset)", "identity": "\(file.identity)"])
    }

    // MARK: Delivery

    /// A batch of records read from one file, ending at `end`.
    private struct Batch: Sendable {
        var fileID: Int
        var end: Int64
        var generation: Int
        var records: [KafkaProducerRecord]
        var bytes: Int
    }

    /// Sends `batch` until every record is acknowledged (or the shipper stops), then acknowledges it in
    /// the ledger and returns its room to the budget.
    private func deliver(_ batch: Batch) async {
        defer { budget.release(records: batch.records.count, bytes: batch.bytes) }
        let started = DispatchTime.now()
        var records = batch.records
        var backoff = configuration.retryBackoff
        var fatalAttempts = 0
        while true {
            let producer = producers.producer
            var retry: [KafkaProducerRecord] = []
            var fatal = false
            do {
                let delivery = try await producer.send(records)
                if delivery.isFullyDelivered { break }
                var failed = Set<Int>()
                for failure in delivery.failures {
                    failed.insert(failure.index)
                    retry.append(records[failure.index])
                    if !failure.error.isRetriable { fatal = true }
                }
                let delivered = records.indices.lazy.filter { !failed.contains($0) }
                metrics.recordsAcknowledged.increment(by: delivered.count)
                metrics.bytesAcknowledged.increment(
                    by: delivered.reduce(0) { $0 + records[$1].value.count + (records[$1].key?.count ?? 0) })
                metrics.deliveryFailures.increment(by: retry.count)
                let first = delivery.failures[0].error
                logger.warning(
                    "Kafka did not acknowledge records; sending them again",
                    metadata: [
                        "records": "\(retry.count)", "error.code": "\(first.code)", "error.message": "\(first.message)",
                        "retry_in": "\(backoff)",
                    ])
            } catch {
                retry = records  // the producer was replaced or closed before the batch went out
            }
            records = retry
            if deliveryStopping.load(ordering: .relaxed) { return }
            fatalAttempts = fatal ? fatalAttempts + 1 : 0
            if fatalAttempts >= 3 {
                await producers.replace(producer)
                fatalAttempts = 0
            }
            await pause(backoff, stop: deliveryStopping)
            backoff = min(backoff * 2, configuration.maxRetryBackoff)
        }
        metrics.recordsAcknowledged.increment(by: records.count)
        metrics.bytesAcknowledged.increment(by: records.reduce(0) { $0 + $1.value.count + ($1.key?.count ?? 0) })
        metrics.deliveryLatency.recordInterval(since: started)
        ledger.acknowledge(batch.fileID, end: batch.end, generation: batch.generation)
    }

    /// After the loop stopped: waits up to `shutdownTimeout` for batches in flight, then stops the
    /// producer so the remaining delivery tasks end (their lines are sent again after a restart).
    private func drainInFlight() async {
        let deadline = ContinuousClock.now + configuration.shutdownTimeout
        while budget.records > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if budget.records > 0 {
            logger.warning(
                "stopping with records not yet acknowledged; they are sent again after the restart",
                metadata: ["records": "\(budget.records)"])
        }
        deliveryStopping.store(true, ordering: .relaxed)
        await producers.shutdown()
    }

    // MARK: Registry

    private func registrySnapshot() -> ShipperRegistry {
        var registry = ShipperRegistry()
        for id in order {
            guard let file = files[id], let status = ledger.status(id) else { continue }
            registry.files.append(
                .init(fingerprint: file.fingerprint, offset: status.acknowledgedOffset, path: file.path))
        }
        return registry
    }

    /// Writes the registry in the background when acknowledged offsets moved (one write at a time).
    private func writeRegistry(force: Bool, group: inout DiscardingTaskGroup) async {
        let version = ledger.version
        guard version != writtenVersion || lastRegistryWriteFailed.load(ordering: .relaxed),
            !registryWriteInFlight.load(ordering: .relaxed)
        else { return }
        writtenVersion = version
        registryWriteInFlight.store(true, ordering: .relaxed)
        let snapshot = registrySnapshot()
        group.addTask { [self] in
            await self.store(snapshot)
            registryWriteInFlight.store(false, ordering: .relaxed)
        }
    }

    /// Writes the registry now and waits for it (at the end of a shutdown).
    private func writeRegistry(force: Bool) async {
        while registryWriteInFlight.load(ordering: .relaxed) { try? await Task.sleep(for: .milliseconds(5)) }
        await store(registrySnapshot())
    }

    private func store(_ snapshot: ShipperRegistry) async {
        let store = store
        do {
            try await registryWriter.run { try store.write(snapshot) }
            metrics.registryWrites.increment()
            lastRegistryWriteFailed.store(false, ordering: .relaxed)
        } catch {
            metrics.registryErrors.increment()
            lastRegistryWriteFailed.store(true, ordering: .relaxed)
            logger.error(
                "cannot write the registry",
                metadata: [
                    "error.code": "\((error as? FreshetError)?.code.rawValue ?? "io")", "error.message": "\(error)",
                ])
        }
    }
}

/// Sleeps for `duration`, waking early once `stop` is set (checked every 50 ms).
func pause(_ duration: Duration, stop: borrowing Atomic<Bool>) async {
    let deadline = ContinuousClock.now + duration
    while !stop.load(ordering: .relaxed) {
        let left = deadline - ContinuousClock.now
        if left <= .zero { return }
        try? await Task.sleep(for: min(left, .milliseconds(50)))
    }
}
