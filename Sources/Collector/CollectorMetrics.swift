import Metrics
import NIOConcurrencyHelpers
import Shared

/// The collector's metrics: the shared pipeline families plus requests by route and status.
struct CollectorMetrics: Sendable {
    let pipeline = PipelineMetrics(service: "collector")
    /// `freshet_records_received_total{source="http"}`: payloads recorded.
    let recorded: Counter
    /// `freshet_bytes_received_total{source="http"}`: request bytes (head and body) read.
    let bytesReceived: Counter
    /// `freshet_bytes_sent_total{sink="logfile"}`: bytes appended to log files.
    let bytesWritten: Counter
    /// `freshet_processing_seconds{stage="log_write"}`: from a batch's write to its answers.
    let writeLatency: Metrics.Timer
    /// `freshet_records_failed_total{reason="log_write"}`: failed appends, rotations and syncs.
    let writeErrors: Counter
    /// `freshet_records_failed_total{reason="size_violation"}`: payloads recorded as size violations.
    let sizeViolations: Counter
    /// `freshet_collector_log_rotations_total`.
    let rotations: Counter
    private let requestCounters = NIOLockedValueBox<[String: Counter]>([:])

    init() {
        recorded = pipeline.received(from: "http")
        bytesReceived = pipeline.bytesReceived(from: "http")
        bytesWritten = pipeline.bytesSent(to: "logfile")
        writeLatency = pipeline.latency(stage: "log_write")
        writeErrors = pipeline.failed(reason: "log_write")
        sizeViolations = pipeline.failed(reason: "size_violation")
        rotations = Counter(label: "freshet_collector_log_rotations_total")
    }

    /// `freshet_collector_requests_total{route,status}`.
    func request(route: String, status: Int) -> Counter {
        let key = "\(route)/\(status)"
        return requestCounters.withLockedValue { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: "freshet_collector_requests_total", dimensions: [("route", route), ("status", String(status))])
            counters[key] = counter
            return counter
        }
    }
}
