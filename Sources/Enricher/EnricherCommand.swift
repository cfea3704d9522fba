import ArgumentParser
import Foundation
import Logging
import Shared

/// The `enricher` executable: validates and enriches raw events from Kafka, emits enriched events and
/// bad rows (and, with the profile component, keeps visitor profiles in Redis). `enricher file`
/// runs the same processing over collector log files.
struct EnricherCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enricher",
        abstract: "Validates and enriches raw events from Kafka, keeps visitor profiles in Redis, emits enriched events and bad rows.",
        discussion: FreshetCommandLine.environmentHelp,
        version: FreshetVersion.current,
        subcommands: [EnrichFilesCommand.self]
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var redis: RedisOptions
    @OptionGroup var enrichment: EnrichmentOptions

    @Option(help: "Topic of collector payloads.") var rawTopic = "raw"
    @Option(help: "Topic of enriched TSV lines.") var enrichedTopic = "enriched"
    @Option(help: "Topic of bad rows.") var badTopic = "bad"
    @Option(help: "Consumer group.") var groupId = "enricher"
    @Option(help: "Batches whose productions may await acknowledgement at once.") var maxBatchesInFlight = 6

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "enricher", options: common)
        logger.debug("allocator", metadata: ["component": "allocator", "allocator": "\(Allocator.summary)"])
        var configuration = try enrichment.configuration()
        configuration.rawTopic = rawTopic
        configuration.enrichedTopic = enrichedTopic
        configuration.badTopic = badTopic
        configuration.groupID = groupId
        configuration.maximumBatchesInFlight = max(1, maxBatchesInFlight)

        let kafkaReady = try kafka.startKafka(logger: logger)
        let (redisClient, redisReady) = redis.startRedis(logger: logger)
        let metrics = EnricherMetrics()
        let profileRedis = (enrichment.visitorProfile ?? true) ? (redisClient, redisReady) : nil

        var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: kafka.bootstrapServers, groupID: configuration.groupID)
        consumerConfiguration.clientID = "freshet-enricher"
        consumerConfiguration.maximumRecordsPerPoll = configuration.batchSize
        // Bound librdkafka's prefetch (default 64 MiB) and one fetch response (default 50 MiB) so memory
        // stays small; user properties still win. A fetch response is compressed: 4 MiB of lz4 payloads
        // arrive as 10–20 MB of messages, which is what the service's resident set swings by (8 MiB
        // responses: 2–8 MB more peak RSS in the bench at the same rate). fetch.queue.backoff.ms:
        // librdkafka postpones the next fetch by this much once the prefetch queue is full — 1 s by
        // default, which left a small queue empty for most of each second (a bare consumer with an 8 MiB
        // queue read 24k records/s from the local broker; with 10 ms, 470k/s; the enricher's poll waits
        // were a third of its run time). Refilled at once, a 4 MiB queue keeps the enricher as busy as an
        // 8 MiB one (same rate in the bench, 117 against 123 MB peak RSS). fetch.max.bytes 1 MiB (librdkafka
        // raises it to message.max.bytes if that is larger; a record larger than it still arrives, alone):
        // four smaller responses fill the same queue, each decompressed into 2.5–5 MB instead of 10–20 MB
        // of freshly faulted memory — peak RSS in the bench 122–126 → 108–110 MB, page faults per event
        // 0.8 → 0.6, the same rate within the bench's noise.
        consumerConfiguration.additionalProperties = [
            "queued.max.messages.kbytes": "4096", "fetch.max.bytes": "1048576", "fetch.queue.backoff.ms": "10",
        ]
            .merging(try kafka.additionalProperties()) { _, user in user }
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: kafka.bootstrapServers)
        producerConfiguration.clientID = "freshet-enricher"
        producerConfiguration.linger = .milliseconds(10)
        // At most 32 MiB waiting for acknowledgement (librdkafka's default is 1 GiB); a full queue is
        // back-pressure (KafkaProducer waits), and --max-batches-in-flight batches fit in it many times.
        producerConfiguration.maximumQueuedKilobytes = 32768
        producerConfiguration.additionalProperties = try kafka.additionalProperties()
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        // Subscribed before the enrichments load (the GeoIP database's verification takes most of a
        // second): the group join, which a broker may hold for seconds, runs meanwhile.
        try consumer.subscribe(topics: [configuration.rawTopic])
        let enricher: BatchEnricher, profile: VisitorProfileGate
        do {
            (enricher, profile) = try enrichment.makePipeline(
                configuration: configuration, redis: profileRedis, metrics: metrics, logger: logger)
        } catch {
            try? await consumer.close()  // leave the group now rather than after the session timeout
            await producer.shutdown()
            throw error
        }

        let service = EnricherService(
            configuration: configuration, consumer: consumer, producer: producer, enricher: enricher, profile: profile,
            metrics: metrics, logger: logger)
        let admin = AdminServer(
            configuration: ServiceBootstrap.adminConfiguration(service: "enricher", options: common),
            service: "enricher", checks: [kafkaReady] + (profileRedis == nil ? [] : [redisReady]), logger: logger)
        try await ServiceRunner.run([admin, service], logger: logger)
    }
}

/// `enricher file`: the offline mode.
struct EnrichFilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "Enriches collector log files into an enriched TSV file and a bad-row JSON-lines file (same processing as the service).",
        discussion: FreshetCommandLine.environmentHelp
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var enrichment: EnrichmentOptions
    @OptionGroup var redis: RedisOptions
    @Option(parsing: .upToNextOption, help: "Collector log files (one base64 collector payload per line), in order.")
    var input: [String]
    @Option(help: "File the enriched TSV lines are written to.") var output: String
    @Option(help: "File the bad rows are written to, one JSON per line.") var bad: String

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "enricher", options: common)
        logger.debug("allocator", metadata: ["component": "allocator", "allocator": "\(Allocator.summary)"])
        let configuration = try enrichment.configuration()
        let metrics = EnricherMetrics()
        // Offline, visitor profiles are off unless asked for (a replay should not touch live profiles by accident).
        let profileRedis = (enrichment.visitorProfile ?? false) ? redis.startRedis(logger: logger) : nil
        let (enricher, profile) = try enrichment.makePipeline(
            configuration: configuration, redis: profileRedis, metrics: metrics, logger: logger)
        let offline = OfflineEnrichment(
            configuration: configuration, enricher: enricher,
            makeProcessor: { EnrichmentOptions.processor(pipeline: EnrichmentPipeline(steps: [])) }, profile: profile, logger: logger)
        let summary = try await offline.run(inputs: input, output: output, bad: bad)
        logger.info(
            "enriched files",
            metadata: ["component": "offline", "lines": "\(summary.lines)", "enriched": "\(summary.enriched)", "bad": "\(summary.bad)"])
        print("lines=\(summary.lines) enriched=\(summary.enriched) bad=\(summary.bad)")
    }
}

/// The options both modes share: enrichment configuration, workers, batch size, profile policy.
struct EnrichmentOptions: ParsableArguments, Sendable {
    @Option(help: "Enrichment configuration: a directory of Snowplow enrichment JSON files, or one JSON/YAML file listing them (see docs/enrichments.md). Default: built-in steps only.")
    var enrichments: String?
    @Option(help: "Directory the enrichments' database files are read from.") var enrichmentAssets = ".stack/data/enrichments"
    @Option(help: "Raw records enriched as one batch (smaller batches: less memory in flight).") var batchSize = 250
    @Option(help: "Worker tasks enriching in parallel. Default: the number of cores.") var workers: Int?
    @Option(help: "While Redis is unreachable: pause (stop consuming, nothing lost) or skip (emit without profile fields).")
    var profileFailurePolicy = "pause"
    @Option(help: "Enriched lines larger than this many bytes become size_violation bad rows.") var maxRecordBytes = 1_000_000
    /// Default: on for the service, off for `enricher file`.
    @Flag(
        inversion: .prefixedNo,
        help: "Keep visitor profiles, sessions and duplicate markers in Redis and attach the visitor context (default: on for the service, off for `enricher file`).")
    var visitorProfile: Bool?
    @OptionGroup var profile: VisitorProfileOptions

    init() {}

    /// The configuration these options give.
    func configuration() throws -> EnricherConfiguration {
        var configuration = EnricherConfiguration()
        configuration.enrichmentsPath = enrichments
        configuration.assetsDirectory = enrichmentAssets
        configuration.batchSize = max(1, batchSize)
        if let workers { configuration.workers = max(1, workers) }
        guard let policy = VisitorProfileFailurePolicy(rawValue: profileFailurePolicy) else {
            throw ValidationError("--profile-failure-policy must be pause or skip; got '\(profileFailurePolicy)'")
        }
        configuration.profileFailurePolicy = policy
        configuration.maximumRecordBytes = maxRecordBytes
        return configuration
    }

    /// The batch enricher and the profile gate for `configuration`; the gate has the Redis visitor-profile
    /// stage when `redis` (a client and its readiness check) is given, no stage otherwise.
    func makePipeline(
        configuration: EnricherConfiguration, redis: (RedisClient, ReadinessCheck)?, metrics: EnricherMetrics, logger: Logger
    ) throws -> (BatchEnricher, VisitorProfileGate) {
        let configurations = try configuration.enrichmentsPath.map { path throws(FreshetError) in try EnrichmentConfigurationFile.load(path: path) } ?? []
        let pipeline = try EnrichmentRegistry.pipeline(
            configurations: configurations, assetsDirectory: configuration.assetsDirectory, logger: logger)
        let enricher = BatchEnricher(workers: configuration.workers) { Self.processor(pipeline: pipeline) }
        var stage: (any VisitorProfileStage)?
        if let (client, ready) = redis {
            let behaviour: VisitorProfileConfiguration.UnavailableBehaviour = configuration.profileFailurePolicy == .skip ? .skip : .pause
            let store = try VisitorProfileStore(
                redis: client, configuration: profile.configuration(unavailableBehaviour: behaviour), metrics: metrics.pipeline,
                logger: logger)
            stage = RedisVisitorProfileStage(store: store, readinessCheck: ready)
        }
        let profile = VisitorProfileGate(stage: stage, policy: configuration.profileFailurePolicy, metrics: metrics, logger: logger)
        return (enricher, profile)
    }

    /// A processor over `pipeline`.
    static func processor(pipeline: EnrichmentPipeline) -> EventProcessor {
        EventProcessor(pipeline: pipeline, processor: EnricherConfiguration.processor, vEtl: EnricherConfiguration.vEtl)
    }
}

/// Entry point: options may also come from `FRESHET_*` environment variables.
@main
enum EnricherMain {
    static func main() async {
        await EnricherCommand.main(
            FreshetCommandLine.arguments(for: EnricherCommand.self, environment: ProcessInfo.processInfo.environment))
    }
}
