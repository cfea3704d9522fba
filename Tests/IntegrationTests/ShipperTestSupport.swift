import Foundation
import FreshetTestSupport
import Logging
import Testing

@testable import Shared

/// A shipper child process over the given input directories, with its own registry.
final class ShipperUnderTest: @unchecked Sendable {
    let service: RunningService
    let adminPort: Int

    init(
        inputs: [String], topic: String, badTopic: String, registry: String,
        brokers: String = TestEnvironment.kafkaBrokers, arguments: [String] = []
    ) throws {
        service = try RunningService.start(
            "shipper",
            arguments: inputs.flatMap { ["--input", $0] } + [
                "--topic", topic, "--bad-topic", badTopic, "--registry", registry, "--kafka-brokers", brokers,
                "--admin-port", "0", "--admin-host", "127.0.0.1", "--poll-interval", "20ms", "--scan-interval", "100ms",
                "--registry-flush-interval", "100ms",
            ] + arguments)
        adminPort = try service.adminPort()
    }

    /// The value of the first sample of `metric` (a full line prefix such as
    /// `freshet_records_sent_total{service="shipper",sink="kafka"}`), or nil.
    func metric(_ prefix: String) -> Double? {
        guard
            let output = try? ChildProcess.run(
                "/usr/bin/curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(adminPort)/metrics"])
        else { return nil }
        for line in output.stdoutText.split(separator: "\n") where line.hasPrefix(prefix + " ") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }

    var linesRead: Double { metric(#"freshet_records_received_total{service="shipper",source="logfile"}"#) ?? 0 }
    var recordsAcknowledged: Double { metric(#"freshet_records_sent_total{service="shipper",sink="kafka"}"#) ?? 0 }
}

/// Writes collector-format lines (``CollectorPayloadLogLine``) with sequence numbers into
/// `<directory>/<stem>.log` on a background thread, rotating the way the collector does (rename to the
/// finished name, create a new active file) or the way logrotate's `copytruncate` does.
final class CollectorLineWriter: @unchecked Sendable {  // counters behind `lock`; the thread owns the file
    enum Rotation {
        case renameAndCreate(every: Duration)
        case copyTruncate(every: Duration)
        case none
    }

    let directory: String
    let stem: String
    let source: String
    private let lock = NSLock()
    private var stopRequested = false
    private var written = 0
    private var badWritten = 0
    private var rotations = 0
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    init(directory: String, stem: String = "test", source: String) {
        self.directory = directory
        self.stem = stem
        self.source = source
    }

    var activePath: String { directory + "/" + CollectorLogNaming.activeName(stem: stem) }
    var count: Int { lock.withLock { written } }
    var badCount: Int { lock.withLock { badWritten } }
    var rotationCount: Int { lock.withLock { rotations } }

    /// The payload of line `n`: a page view whose querystring carries `n` and the source tag.
    static func payload(_ n: Int, source: String) -> CollectorPayload {
        var payload = CollectorPayload(
            schema: "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0", ipAddress: "203.0.113.9",
            timestamp: 1_764_201_600_000 + Int64(n), encoding: "UTF-8", collector: "freshet-test")
        payload.path = "/i"
        payload.querystring = "e=pv&src=\(source)&n=\(n)&pad=" + String(repeating: "x", count: 200)
        payload.networkUserId = networkUserId(n)
        return payload
    }

    static func networkUserId(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n % 97) }

    /// Writes lines `start..<start+count` now (synchronously), without rotating.
    func writeNow(_ range: Range<Int>) throws {
        var buffer: [UInt8] = []
        for n in range { CollectorPayloadLogLine.append(Self.payload(n, source: source), to: &buffer) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: activePath))
        try handle.seekToEnd()
        try handle.write(contentsOf: buffer)
        try handle.close()
        lock.withLock { written = max(written, range.upperBound) }
    }

    /// Starts writing about `perSecond` lines a second from line `first` on, rotating as asked; every
    /// `badEvery`-th line (if set) is followed by one undecodable line.
    func start(first: Int = 0, perSecond: Int, rotation: Rotation, badEvery: Int? = nil) {
        lock.withLock { written = first }
        let thread = Thread { [self] in
            defer { done.signal() }
            var fd = open(activePath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            var n = first
            var lastRotation = ContinuousClock.now
            let chunk = max(1, perSecond / 50)  // 50 writes a second
            while !lock.withLock({ stopRequested }) {
                var buffer: [UInt8] = []
                var bad = 0
                for _ in 0..<chunk {
                    CollectorPayloadLogLine.append(Self.payload(n, source: source), to: &buffer)
                    n += 1
                    if let badEvery, n % badEvery == 0 {
                        buffer += Array("this is not base64 \(n)\n".utf8)
                        bad += 1
                    }
                }
                _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                lock.withLock {
                    written = n
                    badWritten += bad
                }
                let now = ContinuousClock.now
                switch rotation {
                case .renameAndCreate(let every) where now - lastRotation >= every:
                    let finished = directory + "/" + CollectorLogNaming.finishedName(stem: stem)
                    rename(activePath, finished)
                    close(fd)
                    fd = open(activePath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                    lastRotation = now
                    lock.withLock { rotations += 1 }
                case .copyTruncate(let every) where now - lastRotation >= every:
                    let index = lock.withLock { rotations + 1 }
                    _ = try? FileManager.default.copyItem(atPath: activePath, toPath: activePath + ".\(index)")
                    ftruncate(fd, 0)
                    lastRotation = now
                    lock.withLock { rotations += 1 }
                default: break
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
            close(fd)
        }
        self.thread = thread
        thread.start()
    }

    /// Stops writing and returns the number of the next line (every line before it was written).
    @discardableResult
    func stop() -> Int {
        lock.withLock { stopRequested = true }
        if thread != nil { done.wait() }
        thread = nil
        lock.withLock { stopRequested = false }
        return count
    }
}

/// Reads a topic from its beginning and counts, per sequence number, how often each line arrived.
final class ShippedLines {
    let consumer: KafkaConsumer
    private(set) var counts: [String: [Int: Int]] = [:]  // source → n → arrivals
    private(set) var keysMatch = true
    private(set) var records = 0

    init(topic: String, brokers: [String] = KafkaTestCluster.brokers) throws {
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: brokers, groupID: TestEnvironment.uniqueName("shipper_test"))
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .seconds(1)
        configuration.maximumPollInterval = .seconds(60)
        configuration.maximumRecordsPerPoll = 5000
        consumer = try KafkaConsumer(configuration: configuration, logger: KafkaTestCluster.logger)
        try consumer.subscribe(topics: [topic])
    }

    /// Polls until `isComplete` holds for the lines seen (bounded by `deadline`, which only stops a
    /// broken run from hanging).
    func read(until isComplete: (ShippedLines) -> Bool, deadline: Duration = .seconds(120)) async throws {
        let end = ContinuousClock.now + deadline
        while !isComplete(self), ContinuousClock.now < end {
            for record in try await consumer.poll() {
                records += 1
                guard case .success(let payload) = CollectorPayload.decode(thrift: record.value),
                    let query = payload.querystring
                else { continue }
                var source = "", n = -1
                for pair in query.split(separator: "&") {
                    if pair.hasPrefix("src=") { source = String(pair.dropFirst(4)) }
                    if pair.hasPrefix("n=") { n = Int(pair.dropFirst(2)) ?? -1 }
                }
                counts[source, default: [:]][n, default: 0] += 1
                if record.key != Array(CollectorLineWriter.networkUserId(n).utf8) { keysMatch = false }
            }
        }
    }

    /// Whether every line of `range` from `source` arrived at least once.
    func hasAll(_ range: Range<Int>, from source: String) -> Bool {
        guard let seen = counts[source] else { return range.isEmpty }
        return range.allSatisfy { seen[$0] != nil }
    }

    func missing(_ range: Range<Int>, from source: String) -> [Int] {
        range.filter { counts[source]?[$0] == nil }
    }

    /// Arrivals beyond the first, for lines of `source`.
    func duplicates(from source: String) -> Int {
        (counts[source] ?? [:]).values.reduce(0) { $0 + $1 - 1 }
    }

    func close() async { try? await consumer.close() }
}

/// A private Tansu broker on a free port, for the test that stops and restarts Kafka. Memory storage:
/// a restarted broker is empty.
final class TansuProcess: @unchecked Sendable {
    let port: Int
    private var process: Process?

    static var binary: String {
        let local = TestEnvironment.repositoryRoot.appendingPathComponent(".stack/bin/tansu").path
        return FileManager.default.isExecutableFile(atPath: local) ? local : "/work/main/.stack/bin/tansu"
    }

    init() async throws {
        port = try Self.freePort()
        try await start()
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var brokers: String { "127.0.0.1:\(port)" }

    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "broker", "--listener-url", "tcp://127.0.0.1:\(port)", "--advertised-listener-url",
            "tcp://127.0.0.1:\(port)",
            "--storage-engine", "memory://tansu/",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let admin = try KafkaAdmin(
            configuration: KafkaAdminConfiguration(bootstrapServers: [brokers]), logger: KafkaTestCluster.logger)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? await admin.checkReachability(timeout: .milliseconds(500))) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("the private Tansu broker did not answer on \(brokers)")
    }

    /// Kills the broker (SIGKILL) and waits until it has exited.
    func stop() {
        guard let process else { return }
        self.process = nil
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func createTopic(_ topic: String, partitions: Int) async throws {
        let admin = try KafkaAdmin(
            configuration: KafkaAdminConfiguration(bootstrapServers: [brokers]), logger: KafkaTestCluster.logger)
        try await admin.createTopic(topic, partitions: partitions)
    }

    private static func freePort() throws -> Int {
        let output = try ChildProcess.run(
            "/usr/bin/python3",
            ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
        guard let port = Int(output.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestFailure("no free port")
        }
        return port
    }
}

/// A fresh temporary directory.
func shipperTestDirectory(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "freshet-shipper-\(name)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Polls `condition` every 50 ms until it holds or `deadline` passes; returns whether it held.
@discardableResult
func eventually(within deadline: Duration = .seconds(60), _ condition: () throws -> Bool) rethrows -> Bool {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}
