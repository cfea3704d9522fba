import Metrics
import Shared
import Synchronization

/// The loader's metrics: the shared pipeline families plus batch sizes, retries and rejected rows.
///
/// - `freshet_records_received_total{service="loader",source="enriched"|"bad"}`: Kafka records taken;
/// - `freshet_records_sent_total{sink="clickhouse_events"|"clickhouse_bad_rows"|"kafka_bad"}`: rows
///   ClickHouse accepted, bad rows the loader delivered to Kafka;
/// - `freshet_records_failed_total{reason="unparsable"|"rejected"}`: lines that became bad rows
///   before ClickHouse (not enriched TSV, a value the table cannot hold) or that ClickHouse refused;
/// - `freshet_bytes_received_total`, `freshet_bytes_sent_total{sink="clickhouse"}`;
/// - `freshet_processing_seconds{stage="insert"}`: one batch from first request to acceptance;
/// - `freshet_loader_batch_rows`, `freshet_loader_batch_bytes`: batch size histograms;
/// - `freshet_loader_insert_retries_total`: waits before retrying a ClickHouse insert or a bad-row delivery;
/// - `freshet_consumer_lag{topic,partition}`: records not yet read.
///
/// Thread-safe (swift-metrics handles are).
struct LoaderMetrics: Sendable {
    let pipeline = PipelineMetrics(service: "loader")
    let receivedEvents: Counter
    let receivedBadRows: Counter
    let bytesReceived: Counter
    let insertedEvents: Counter
    let insertedBadRows: Counter
    let deliveredBadRows: Counter
    let unparsable: Counter
    let rejected: Counter
    let bytesSent: Counter
    let insertLatency: Metrics.Timer
    let batchRows: Recorder
    let batchBytes: Recorder
    let retries: Counter

    init(enrichedTopic: String, badTopic: String) {
        receivedEvents = pipeline.received(from: "enriched")
        receivedBadRows = pipeline.received(from: "bad")
        bytesReceived = pipeline.bytesReceived(from: "kafka")
        insertedEvents = pipeline.sent(to: "clickhouse_events")
        insertedBadRows = pipeline.sent(to: "clickhouse_bad_rows")
        deliveredBadRows = pipeline.sent(to: "kafka_bad")
        unparsable = pipeline.failed(reason: "unparsable")
        rejected = pipeline.failed(reason: "rejected")
        bytesSent = pipeline.bytesSent(to: "clickhouse")
        insertLatency = pipeline.latency(stage: "insert")
        batchRows = Recorder(label: "freshet_loader_batch_rows", aggregate: true)
        batchBytes = Recorder(label: "freshet_loader_batch_bytes", aggregate: true)
        retries = Counter(label: "freshet_loader_insert_retries_total")
    }

    func record(lags: [KafkaPartitionLag]) {
        for lag in lags {
            pipeline.consumerLag(topic: lag.topic, partition: lag.partition).record(lag.lag)
        }
    }
}
