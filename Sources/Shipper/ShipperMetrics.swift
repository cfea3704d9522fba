import Metrics
import Shared
import Synchronization

/// The shipper's metrics: the shared pipeline families plus registry writes, in-flight records and the
/// bytes each file is behind.
///
/// - `freshet_records_received_total{source="logfile"}`: lines read;
/// - `freshet_bytes_received_total{source="logfile"}`: bytes of the lines read;
/// - `freshet_records_sent_total{sink="kafka"}`: records acknowledged by Kafka (raw and bad);
/// - `freshet_bytes_sent_total{sink="kafka"}`: their key and value bytes;
/// - `freshet_records_failed_total{reason}`: `bad_line` (became a bad row), `kafka_delivery` (records
///   whose delivery failed and that are sent again), `read`, `registry_write`, `clean_up` (errors);
/// - `freshet_processing_seconds{stage="kafka_delivery"}`: from a batch's first send to its last ack;
/// - `freshet_shipper_registry_writes_total`, `freshet_shipper_in_flight_records`,
///   `freshet_shipper_files`, `freshet_shipper_bytes_behind{file}` (file size minus acknowledged offset).
///
/// Thread-safe (swift-metrics handles are).
final class ShipperMetrics: Sendable {
    let pipeline = PipelineMetrics(service: "shipper")
    let linesRead: Counter
    let bytesRead: Counter
    let recordsAcknowledged: Counter
    let bytesAcknowledged: Counter
    let badLines: Counter
    let deliveryFailures: Counter
    let readErrors: Counter
    let registryErrors: Counter
    let cleanUpErrors: Counter
    let deliveryLatency: Metrics.Timer
    let registryWrites = Counter(label: "freshet_shipper_registry_writes_total")
    let inFlightRecords = Gauge(label: "freshet_shipper_in_flight_records")
    let files = Gauge(label: "freshet_shipper_files")
    let filesCleanedUp = Counter(label: "freshet_shipper_files_cleaned_up_total")
    private let behind = Mutex<[String: Gauge]>([:])

    init() {
        linesRead = pipeline.received(from: "logfile")
        bytesRead = pipeline.bytesReceived(from: "logfile")
        recordsAcknowledged = pipeline.sent(to: "kafka")
        bytesAcknowledged = pipeline.bytesSent(to: "kafka")
        badLines = pipeline.failed(reason: "bad_line")
        deliveryFailures = pipeline.failed(reason: "kafka_delivery")
        readErrors = pipeline.failed(reason: "read")
        registryErrors = pipeline.failed(reason: "registry_write")
        cleanUpErrors = pipeline.failed(reason: "clean_up")
        deliveryLatency = pipeline.latency(stage: "kafka_delivery")
    }

    /// Sets `freshet_shipper_bytes_behind{file=path}`.
    func setBytesBehind(_ bytes: Int64, file path: String) {
        let gauge = behind.withLock { gauges in
            if let gauge = gauges[path] { return gauge }
            let gauge = Gauge(label: "freshet_shipper_bytes_behind", dimensions: [("file", path)])
            gauges[path] = gauge
            return gauge
        }
        gauge.record(Double(bytes))
    }

    /// Drops the gauge of a file that is no longer followed.
    func forget(file path: String) {
        if let gauge = behind.withLock({ $0.removeValue(forKey: path) }) {
            gauge.record(0)
            gauge.destroy()
        }
    }
}
