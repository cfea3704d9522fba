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
    /// When a batch is sent. Default: 50 000 rows / 32 MiB (buffered) or 256 MiB (streamed) / 1 s.
    var batch = BatchPolicy()
    /// How event rows go to ClickHouse: streamed while the batch fills, or buffered and sent whole.
    /// Default: ``InsertMode/auto``.
    var insertMode = InsertMode.auto
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

/// How the loader sends a batch's event rows to ClickHouse (docs/loader-delivery.md).
enum InsertMode: String, Sendable, CaseIterable {
    /// ``streamed`` on servers without insert deduplication for our tables (before 22.3, e.g. 18.16);
    /// ``buffered`` on current servers, whose `insert_deduplication_token` needs the batch's offsets
    /// when the insert starts.
    case auto
    /// One insert per batch, opened at the batch's first row and fed while the batch fills: few, large
    /// inserts (what ClickHouse merges least) with a few MiB in memory. A failed streamed insert is
    /// redone from Kafka: the loader moves back to the first uncommitted offsets and loads them
    /// buffered (retries, rejected-row isolation) before streaming again.
    case streamed
    /// The batch is encoded in memory (at most ``BatchPolicy/maximumBytes``, two batches at a time)
    /// and sent whole, with the batch's offsets as deduplication token on current servers.
    case buffered

    /// The mode used against `dialect`.
    func resolved(for dialect: ClickHouseDialect) -> InsertMode {
        guard self == .auto else { return self }
        return dialect == .legacy ? .streamed : .buffered
    }
}
