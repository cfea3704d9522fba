import ArgumentParser
import Foundation
import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// The `shipper` executable: Follows the collector's log files through rotation and ships each record to Kafka, at least once.
struct ShipperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shipper",
        abstract: "Follows the collector's log files through rotation and ships each record to Kafka, at least once.",
        discussion: FreshetCommandLine.environmentHelp,
        version: FreshetVersion.current
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var kafka: KafkaOptions

    @Option(
        help:
            "Directory and file pattern to follow, e.g. collector-logs/*.log (repeatable; comma-separated in the environment). A bare directory means DIR/*.log."
    )
    var input: [String] = ["collector-logs/*.log"]
    @Option(help: "Topic the collector payloads go to.") var topic = "raw"
    @Option(help: "Topic bad rows go to (undecodable lines, the collector's size violations).") var badTopic = "bad"
    @Option(
        help:
            "How a line becomes a record: collector-payload (base64 Thrift → Thrift bytes) or lines (the line as it is)."
    )
    var codec = LineCodec.collectorPayload.rawValue
    @Option(help: "Record key: network-user-id or none.") var key = RecordKey.networkUserId.rawValue
    @Option(help: "How long librdkafka retries a record before the shipper sends it again (e.g. 30s).")
    var deliveryTimeout = "30s"

    @Option(help: "Registry file: per log file, the offset up to which Kafka acknowledged every line.") var registry =
        "shipper-registry.json"
    @Option(help: "Write the registry at most this often (e.g. 1s).") var registryFlushInterval = "1s"
    @Option(help: "Check followed files for new lines this often when idle (e.g. 100ms).") var pollInterval = "100ms"
    @Option(help: "List the input directories this often (e.g. 1s).") var scanInterval = "1s"
    @Option(help: "Lines longer than this many bytes become size_violation bad rows.") var maxLineBytes = 2 << 20
    @Option(help: "Records read and not yet acknowledged, at most (back-pressure).") var maxInFlightRecords = 20_000
    @Option(help: "Record bytes read and not yet acknowledged, at most (back-pressure).") var maxInFlightBytes = 3 << 20
    @Option(help: "Lines per Kafka batch.") var batchRecords = 1000
    @Option(help: "On SIGTERM, wait this long for records in flight (e.g. 10s).") var shutdownTimeout = "10s"
    @Option(
        help:
            "Delete (or move) a finished collector file this long after all its lines were acknowledged (e.g. 10m); 'never' keeps them."
    )
    var finishedFileRetention = "10m"
    @Option(help: "Move shipped finished files to this directory instead of deleting them.") var shippedDirectory:
        String?

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "shipper", options: common)
        let configuration = try makeConfiguration()
        let kafkaReady = try kafka.startKafka(logger: logger)
        let shipper = try ShipperService(configuration: configuration, logger: logger)
        let admin = AdminServer(
            configuration: ServiceBootstrap.adminConfiguration(service: "shipper", options: common),
            service: "shipper", checks: [kafkaReady, shipper.registryReadiness], logger: logger)
        try await ServiceRunner.run([admin, shipper], logger: logger)
    }

    /// The documented configuration value from the parsed options.
    func makeConfiguration() throws -> ShipperConfiguration {
        var configuration = ShipperConfiguration()
        configuration.inputs = try input.flatMap { $0.split(separator: ",").map(String.init) }.map { argument in
            guard let input = LogInput(argument: argument.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--input must be DIR or DIR/PATTERN; got '\(argument)'")
            }
            return input
        }
        guard !configuration.inputs.isEmpty else { throw ValidationError("--input: at least one directory is needed") }
        guard Set(configuration.inputs.map(\.directory)).count == configuration.inputs.count else {
            throw ValidationError("--input: each directory may appear once")
        }
        configuration.topic = topic
        configuration.badTopic = badTopic
        guard let codec = LineCodec(rawValue: codec) else {
            throw ValidationError(
                "--codec must be one of \(LineCodec.allCases.map(\.rawValue).joined(separator: ", ")); got '\(self.codec)'"
            )
        }
        configuration.codec = codec
        guard let key = RecordKey(rawValue: key) else {
            throw ValidationError(
                "--key must be one of \(RecordKey.allCases.map(\.rawValue).joined(separator: ", ")); got '\(self.key)'")
        }
        configuration.key = codec == .lines ? .none : key
        configuration.producer.bootstrapServers = kafka.bootstrapServers
        configuration.producer.additionalProperties = try kafka.additionalProperties()
        configuration.producer.deliveryTimeout = try duration(deliveryTimeout, "--delivery-timeout")
        configuration.registryPath = registry
        configuration.registryFlushInterval = try duration(registryFlushInterval, "--registry-flush-interval")
        configuration.pollInterval = try duration(pollInterval, "--poll-interval")
        configuration.scanInterval = try duration(scanInterval, "--scan-interval")
        configuration.maxLineBytes = try positive(maxLineBytes, "--max-line-bytes")
        configuration.maxInFlightRecords = try positive(maxInFlightRecords, "--max-in-flight-records")
        configuration.maxInFlightBytes = try positive(maxInFlightBytes, "--max-in-flight-bytes")
        configuration.batchRecords = try positive(batchRecords, "--batch-records")
        configuration.shutdownTimeout = try duration(shutdownTimeout, "--shutdown-timeout")
        configuration.finishedFileRetention =
            finishedFileRetention == "never" ? nil : try duration(finishedFileRetention, "--finished-file-retention")
        configuration.shippedDirectory = shippedDirectory
        return configuration
    }

    private func duration(_ text: String, _ option: String) throws -> Duration {
        guard let value = DurationParser.parse(text) else {
            throw ValidationError("\(option) must be a duration such as 250ms, 30s, 5m or 1h; got '\(text)'")
        }
        return value
    }

    private func positive(_ value: Int, _ option: String) throws -> Int {
        guard value > 0 else { throw ValidationError("\(option) must be positive; got \(value)") }
        return value
    }
}

/// Entry point: options may also come from `FRESHET_*` environment variables.
@main
enum ShipperMain {
    static func main() async {
        // Bounded memory: the reader, the delivery tasks and librdkafka's threads allocate and free
        // records on different threads; glibc's default of 8 malloc arenas per core lets each keep its
        // own freed megabytes. Two arenas cost no measurable throughput and keep the peak RSS low.
        // (`mallopt` is in <malloc.h>, which the Glibc module does not export; M_ARENA_MAX is -8.)
        if let mallopt = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            _ = unsafeBitCast(mallopt, to: (@convention(c) (Int32, Int32) -> Int32).self)(-8, 2)
        }
        await ShipperCommand.main(
            FreshetCommandLine.arguments(for: ShipperCommand.self, environment: ProcessInfo.processInfo.environment))
    }
}
