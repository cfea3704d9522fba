import Shared

/// Everything the shipper can be configured with; filled from command-line options or `FRESHET_*`
/// environment variables by ``ShipperCommand``. A plain value, copied into the service at start.
struct ShipperConfiguration: Sendable {
    /// The directories and file patterns to follow. Each directory is locked for the lifetime of the
    /// process, so no two shippers ship the same files. Default: `collector-logs/*.log`.
    var inputs: [LogInput] = [LogInput(directory: "collector-logs", pattern: "*.log")]

    // MARK: Kafka
    /// Topic the decoded collector payloads go to. Default: `raw`.
    var topic = "raw"
    /// Topic bad rows go to: lines the codec cannot decode and the collector's `size_violation` lines.
    /// Default: `bad`.
    var badTopic = "bad"
    /// The producer (brokers, acks, idempotence, linger, extra librdkafka properties). Default: the
    /// shared defaults (`acks=all`, idempotent, lz4, linger 5 ms) with a 30 s delivery timeout, so a
    /// broker outage shows up as retried batches within half a minute.
    var producer = KafkaProducerConfiguration(bootstrapServers: ["127.0.0.1:9092"])
    /// How a line becomes a Kafka record. Default: ``LineCodec/collectorPayload``.
    var codec: LineCodec = .collectorPayload
    /// The record key. Default: ``RecordKey/networkUserId``.
    var key: RecordKey = .networkUserId

    // MARK: Registry
    /// The file recording, per log file, the offset up to which Kafka acknowledged every line.
    /// Default: `shipper-registry.json`.
    var registryPath = "shipper-registry.json"
    /// Write the registry at most this often while acknowledgements arrive. Default: 1 s.
    var registryFlushInterval: Duration = .seconds(1)

    // MARK: Tailing
    /// How often tracked files are checked for new lines when there is nothing to read. Default: 100 ms.
    var pollInterval: Duration = .milliseconds(100)
    /// How often the directories are listed for new, renamed and removed files. Default: 1 s.
    var scanInterval: Duration = .seconds(1)
    /// Bytes hashed from the start of a file for its fingerprint. Default: 1024.
    var fingerprintBytes = 1024
    /// Bytes read from a file at once. Default: 1 MiB.
    var readChunkBytes = 1 << 20
    /// A longer line is not shipped: it becomes a `size_violation` bad row holding its beginning.
    /// Default: 2 MiB (a collector line holds at most a 1 MiB payload, base64-encoded).
    var maxLineBytes = 2 << 20

    // MARK: Back-pressure
    /// Records handed to Kafka and not yet acknowledged, at most. Reading pauses at this limit.
    /// Default: 20 000.
    var maxInFlightRecords = 20_000
    /// Record bytes (keys and values) not yet acknowledged, at most. librdkafka holds a copy of them
    /// too, so the memory they take is about twice this. Default: 3 MiB (~25 ms of shipping at full
    /// speed, plenty for librdkafka's 5 ms linger).
    var maxInFlightBytes = 3 << 20
    /// Lines per Kafka batch (one delivery wait); small enough that several batches are in flight
    /// within ``maxInFlightBytes``. Default: 1000.
    var batchRecords = 1000
    /// First wait before a batch's undelivered records are sent again; doubles up to ``maxRetryBackoff``.
    /// Default: 200 ms.
    var retryBackoff: Duration = .milliseconds(200)
    /// Longest wait between two attempts. Default: 5 s.
    var maxRetryBackoff: Duration = .seconds(5)
    /// On SIGTERM, how long to wait for records in flight before stopping anyway (they are sent again
    /// after the restart). Default: 10 s.
    var shutdownTimeout: Duration = .seconds(10)

    // MARK: Clean-up
    /// How long a finished file (the collector's `<stem>.<UTC timestamp>.log`) stays after every line
    /// of it was acknowledged; `nil` keeps finished files forever. Default: 10 minutes.
    var finishedFileRetention: Duration? = .seconds(600)
    /// Move shipped finished files to this directory instead of deleting them. Default: `nil` (delete).
    var shippedDirectory: String?

    init() {
        producer.deliveryTimeout = .seconds(30)
        producer.clientID = "freshet-shipper"
    }
}

/// One directory and the pattern (an `fnmatch(3)` glob such as `*.log`) its files must match.
struct LogInput: Sendable, Hashable {
    var directory: String
    var pattern: String

    /// Parses `DIR/PATTERN` (e.g. `collector-logs/*.log`) or a bare directory (pattern `*.log`).
    init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        if let slash = argument.lastIndex(of: "/"),
            argument[argument.index(after: slash)...].contains(where: { "*?[".contains($0) })
        {
            let directory = String(argument[..<slash])
            self.init(
                directory: directory.isEmpty ? "/" : directory,
                pattern: String(argument[argument.index(after: slash)...]))
        } else {
            self.init(directory: argument, pattern: "*.log")
        }
    }

    init(directory: String, pattern: String) {
        self.directory = directory
        self.pattern = pattern
    }
}

/// How a log line becomes a Kafka record.
enum LineCodec: String, Sendable, CaseIterable {
    /// The collector's framing (``CollectorPayloadLogLine``): base64 of a Thrift collector payload,
    /// shipped as the Thrift bytes — what Snowplow's collector puts on its `raw` stream. A line starting
    /// with `{` is a bad row the collector wrote (`size_violation`) and goes to the bad topic as it is.
    case collectorPayload = "collector-payload"
    /// The line's bytes as they are (without the `\n`), for other line-oriented logs.
    case lines
}

/// The key of the records on the raw topic.
enum RecordKey: String, Sendable, CaseIterable {
    /// The payload's network user id (the `sp` cookie), so one visitor's events stay in one partition;
    /// no key when the payload has none.
    case networkUserId = "network-user-id"
    /// No key: records are spread over the partitions.
    case none
}
