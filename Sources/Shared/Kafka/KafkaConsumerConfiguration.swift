/// How a ``KafkaConsumer`` joins its consumer group and fetches.
///
/// Offsets are never stored automatically (`enable.auto.offset.store=false`, not overridable): only
/// records the application marks processed with ``KafkaConsumer/markProcessed(_:)`` are committed,
/// either every ``autoCommitInterval`` or by ``KafkaConsumer/commit()``.
public struct KafkaConsumerConfiguration: Sendable {
    /// `host:port` of one or more brokers to bootstrap from (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// The consumer group (`group.id`); consumers sharing it split the partitions of their topics.
    public var groupID: String
    /// Identifies this client in broker logs and metrics (`client.id`). Default: `freshet-consumer`.
    public var clientID: String = "freshet-consumer"
    /// Where to start on a partition with no committed offset (`auto.offset.reset`).
    /// Default: ``KafkaConfiguration/OffsetReset/earliest``.
    public var offsetReset: KafkaConfiguration.OffsetReset = .earliest
    /// Commit stored offsets in the background (`enable.auto.commit`). Default: `true`.
    public var autoCommit: Bool = true
    /// How often stored offsets are committed when ``autoCommit`` is on (`auto.commit.interval.ms`).
    /// Default: 5 s.
    public var autoCommitInterval: Duration = .seconds(5)
    /// How long the group waits for a silent member before rebalancing without it
    /// (`session.timeout.ms`). Default: 45 s.
    public var sessionTimeout: Duration = .seconds(45)
    /// Heartbeat period towards the group coordinator (`heartbeat.interval.ms`); keep it below a third
    /// of ``sessionTimeout``. Default: 3 s.
    public var heartbeatInterval: Duration = .seconds(3)
    /// Longest gap between two polls before this member is considered stuck and leaves the group
    /// (`max.poll.interval.ms`). Keep iterating ``KafkaConsumer/records``. Default: 300 s.
    public var maximumPollInterval: Duration = .seconds(300)
    /// Not a librdkafka property: most records one ``KafkaConsumer/poll(maximumRecords:)`` hands over,
    /// and the batch size ``KafkaConsumer/records`` fetches at a time. Default: 500.
    public var maximumRecordsPerPoll: Int = 500
    /// Not a librdkafka property: how long one poll waits for a first record on the consumer's own
    /// thread before returning empty. Default: 100 ms.
    public var pollTimeout: Duration = .milliseconds(100)
    /// Extra librdkafka properties, applied last so they override the fields above
    /// (except `enable.auto.offset.store`, which the commit semantics rely on). Default: empty.
    public var additionalProperties: [String: String] = [:]

    /// A configuration with the documented defaults for the given brokers and group.
    public init(bootstrapServers: [String], groupID: String) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
    }
}
