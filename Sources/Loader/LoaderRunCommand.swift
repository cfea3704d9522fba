import ArgumentParser
import Foundation
import Logging
import Shared

/// `loader run` (the default): consume, batch, insert, commit, until SIGTERM.
struct LoaderRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load enriched events and bad rows from Kafka into ClickHouse (the default).",
        discussion: FreshetCommandLine.environmentHelp
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var clickhouse: ClickHouseOptions

    @Option(help: "Topic of enriched events (TSV).") var enrichedTopic = "enriched"
    @Option(help: "Topic of bad rows (JSON): loaded into bad_rows, and where lines that cannot be loaded go.") var badTopic = "bad"
    @Flag(inversion: .prefixedNo, help: "Load the bad topic into the bad_rows table.") var loadBadRows = true
    @Option(help: "Kafka consumer group of the loaders.") var groupId = "freshet-loader"
    @Option(help: "Most rows in one insert.") var batchRows = 50_000
    @Option(help: "Most encoded bytes in one buffered insert (two are in memory at a time).") var batchBytes = 32 << 20
    @Option(help: "Most encoded bytes in one streamed insert (only a few MiB of it in memory).") var streamedBatchBytes = 256 << 20
    @Option(help: "auto (streamed on ClickHouse before 22.3, buffered with deduplication tokens after), streamed or buffered.")
    var insertMode = "auto"
    @Option(help: "Longest wait before a non-empty batch is inserted (e.g. 1s, 250ms).") var batchDelay = "1s"
    @Option(help: "Longest wait between retries of a failed insert (e.g. 10s).") var retryMaxBackoff = "10s"
    @Option(help: "On SIGTERM, how long a failing insert keeps being retried before exiting without committing it.") var shutdownTimeout = "10s"
    @Option(help: "Records fetched per Kafka poll.") var recordsPerPoll = 2000
    @Option(help: "Most kibibytes librdkafka prefetches (queued.max.messages.kbytes).") var prefetchKilobytes = 8_192

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "loader", options: common)
        let configuration = try makeConfiguration()
        let kafkaReady = try kafka.startKafka(logger: logger)
        let (client, clickhouseReady) = Self.startClickHouse(clickhouse, logger: logger)

        var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: kafka.bootstrapServers, groupID: configuration.groupID)
        consumerConfiguration.clientID = "freshet-loader"
        consumerConfiguration.autoCommit = false
        consumerConfiguration.maximumRecordsPerPoll = configuration.recordsPerPoll
        // A bounded prefetch queue, refilled at once when the loop drained it (librdkafka's default
        // fetch.queue.backoff.ms, 1 s, stalls a consumer whose queue limit is small).
        consumerConfiguration.additionalProperties = [
            "queued.max.messages.kbytes": String(configuration.prefetchKilobytes), "fetch.queue.backoff.ms": "10",
        ].merging(try kafka.additionalProperties()) { _, given in given }
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: kafka.bootstrapServers)
        producerConfiguration.clientID = "freshet-loader"
        producerConfiguration.additionalProperties = try kafka.additionalProperties()
            .filter { !$0.key.hasPrefix("session.") && !$0.key.hasPrefix("heartbeat.") && !$0.key.hasPrefix("max.poll") }
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)

        let pipeline = LoaderPipeline(
            configuration: configuration, consumer: consumer, producer: producer, client: client,
            migrator: SchemaMigrator(client: client, database: configuration.database, logger: logger),
            metrics: LoaderMetrics(enrichedTopic: configuration.enrichedTopic, badTopic: configuration.badTopic), logger: logger)
        let admin = AdminServer(
            configuration: ServiceBootstrap.adminConfiguration(service: "loader", options: common),
            service: "loader", checks: [kafkaReady, clickhouseReady], logger: logger)
        try await ServiceRunner.run([admin, pipeline], logger: logger)
        await producer.shutdown()
    }

    /// A client for `options`' server whose requests run in the `system` database: the loader names
    /// its own tables with their database, which may not exist yet.
    static func startClickHouse(_ options: ClickHouseOptions, logger: Logger) -> (ClickHouseClient, ReadinessCheck) {
        var configuration = options.configuration
        configuration.database = "system"
        let client = ClickHouseClient(configuration: configuration, logger: logger)
        return (client, ReadinessCheck("clickhouse") { try await client.ping() })
    }

    /// The documented configuration value from the parsed options.
    func makeConfiguration() throws -> LoaderConfiguration {
        var configuration = LoaderConfiguration()
        configuration.enrichedTopic = enrichedTopic
        configuration.badTopic = badTopic
        configuration.loadBadRows = loadBadRows
        configuration.groupID = groupId
        configuration.database = clickhouse.clickhouseDatabase
        guard SchemaMigrator.isIdentifier(configuration.database) else {
            throw ValidationError("--clickhouse-database must be letters, digits and underscores; got '\(configuration.database)'")
        }
        guard batchRows > 0, batchBytes > 0, streamedBatchBytes > 0, recordsPerPoll > 0, prefetchKilobytes > 0 else {
            throw ValidationError("--batch-rows, --batch-bytes, --streamed-batch-bytes, --records-per-poll and --prefetch-kilobytes must be positive")
        }
        configuration.batch.maximumRows = batchRows
        configuration.batch.maximumBytes = batchBytes
        configuration.batch.maximumStreamedBytes = streamedBatchBytes
        guard let mode = InsertMode(rawValue: insertMode) else {
            throw ValidationError("--insert-mode must be auto, streamed or buffered; got '\(insertMode)'")
        }
        configuration.insertMode = mode
        configuration.batch.maximumDelay = try duration(batchDelay, "--batch-delay")
        configuration.retryMaximumBackoff = try duration(retryMaxBackoff, "--retry-max-backoff")
        configuration.shutdownTimeout = try duration(shutdownTimeout, "--shutdown-timeout")
        configuration.recordsPerPoll = recordsPerPoll
        configuration.prefetchKilobytes = prefetchKilobytes
        return configuration
    }

    private func duration(_ text: String, _ option: String) throws -> Duration {
        guard let value = LoaderDuration.parse(text) else {
            throw ValidationError("\(option) must be a duration such as 250ms, 1s or 5m; got '\(text)'")
        }
        return value
    }
}
