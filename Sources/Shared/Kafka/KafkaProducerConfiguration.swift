/// How a ``KafkaProducer`` connects and delivers.
///
/// The defaults give at-least-once delivery without duplicates from producer retries: every record is
/// acknowledged by all in-sync replicas (`acks=all`) and the producer is idempotent. A plain value;
/// copy it, change it and hand it to ``KafkaProducer/init(configuration:logger:)``.
public struct KafkaProducerConfiguration: Sendable {
    /// `host:port` of one or more brokers to bootstrap from (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// Identifies this client in broker logs and metrics (`client.id`). Default: `freshet-producer`.
    public var clientID: String = "freshet-producer"
    /// Acknowledgements required per record (`acks`). Default: ``KafkaConfiguration/Acknowledgements/all``.
    public var acknowledgements: KafkaConfiguration.Acknowledgements = .all
    /// Idempotent production (`enable.idempotence`): retries never duplicate or reorder records within a
    /// partition. Requires `acks=all`. Default: `true`.
    public var idempotence: Bool = true
    /// Batch compression (`compression.codec`). Default: ``KafkaConfiguration/Compression/lz4``.
    public var compression: KafkaConfiguration.Compression = .lz4
    /// How long to wait for more records before sending a batch (`linger.ms`). Default: 5 ms.
    public var linger: Duration = .milliseconds(5)
    /// Most records in one batch request (`batch.num.messages`). Default: 10 000.
    public var maximumBatchRecords: Int = 10_000
    /// Most records waiting in the local queue (`queue.buffering.max.messages`). A full queue is
    /// back-pressure: ``KafkaProducer`` waits for deliveries to free room, it never drops. Default: 100 000.
    public var maximumQueuedRecords: Int = 100_000
    /// Most kibibytes waiting in the local queue (`queue.buffering.max.kbytes`). Default: 1 048 576 (1 GiB).
    public var maximumQueuedKilobytes: Int = 1_048_576
    /// How long librdkafka keeps retrying one record before its delivery fails with a retriable
    /// ``FreshetError/Code/kafkaDeliveryFailed`` (`message.timeout.ms`). Default: 300 s.
    public var deliveryTimeout: Duration = .seconds(300)
    /// Not a librdkafka property: how long ``KafkaProducer/shutdown()`` waits for records in flight
    /// before failing the rest. Default: 10 s.
    public var shutdownFlushTimeout: Duration = .seconds(10)
    /// Extra librdkafka properties, applied last so they override the fields above
    /// (e.g. `["socket.keepalive.enable": "true"]`). Default: empty.
    public var additionalProperties: [String: String] = [:]

    /// A configuration with the documented defaults for the given brokers.
    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }
}
