/// Everything the loader can be configured with; filled from command-line options or `FRESHET_*`
/// environment variables by ``LoaderRunCommand``.
struct LoaderConfiguration: Sendable {
    /// Topic of enriched events (TSV). Default: `enriched`.
    var enrichedTopic = "enriched"
    /// Topic of bad rows (JSON), loaded into `bad_rows`; also where the loader writes the lines it
    /// cannot load. Default: `bad`.
    var badTopic = "bad"
    /// Load the bad topic into `bad_rows`. Default: `true`.
    var loadBadRows = true
    /// Consumer group; loaders sharing it split the partitions. Default: `freshet-loader`.
    var groupID = "freshet-loader"
    /// ClickHouse database holding the tables (created if missing). Default: `default`.
    var database = "default"
    /// When a batch is sent. Default: 50 000 rows / 32 MiB / 1 s.
    var batch = BatchPolicy()
    /// First retry wait after a retriable ClickHouse or Kafka failure. Default: 100 ms.
    var retryInitialBackoff: Duration = .milliseconds(100)
    /// Longest retry wait. Default: 10 s.
    var retryMaximumBackoff: Duration = .seconds(10)
    /// On SIGTERM, how long a batch still failing to insert keeps being retried before the loader
    /// exits without committing it (it loads on the next start). Default: 10 s.
    var shutdownTimeout: Duration = .seconds(10)
    /// Records fetched per poll. Default: 2000.
    var recordsPerPoll = 2000
    /// Most kibibytes librdkafka prefetches per loader (`queued.max.messages.kbytes`, refilled without
    /// delay: `fetch.queue.backoff.ms=10`): bounds memory while ClickHouse is slow. Default: 8 192 (8 MiB).
    var prefetchKilobytes = 8_192
    /// How often consumer lag is measured for `/metrics`. Default: 5 s.
    var lagInterval: Duration = .seconds(5)

    init() {}
}
