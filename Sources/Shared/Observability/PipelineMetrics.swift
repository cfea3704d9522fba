import Metrics

/// The metric families every Freshet service exports, with the same names and labels everywhere, so one
/// dashboard reads the whole pipeline: records received, sent and failed, bytes in and out, processing
/// latency, and consumer lag.
///
/// Labels: `service` (collector, shipper, enricher, loader) on every family; `source`, `sink`, `reason`
/// and `stage` say where in the service. Create one instance per service and share it.
public struct PipelineMetrics: Sendable {
    public let service: String

    public init(service: String) { self.service = service }

    /// `freshet_records_received_total{service,source}`: requests, lines or Kafka records taken in.
    public func received(from source: String) -> Counter {
        Counter(label: "freshet_records_received_total", dimensions: [("service", service), ("source", source)])
    }
    /// `freshet_records_sent_total{service,sink}`: records handed on and acknowledged by the next stage.
    public func sent(to sink: String) -> Counter {
        Counter(label: "freshet_records_sent_total", dimensions: [("service", service), ("sink", sink)])
    }
    /// `freshet_records_failed_total{service,reason}`: records that became bad rows or errors.
    public func failed(reason: String) -> Counter {
        Counter(label: "freshet_records_failed_total", dimensions: [("service", service), ("reason", reason)])
    }
    /// `freshet_bytes_received_total{service,source}`.
    public func bytesReceived(from source: String) -> Counter {
        Counter(label: "freshet_bytes_received_total", dimensions: [("service", service), ("source", source)])
    }
    /// `freshet_bytes_sent_total{service,sink}`.
    public func bytesSent(to sink: String) -> Counter {
        Counter(label: "freshet_bytes_sent_total", dimensions: [("service", service), ("sink", sink)])
    }
    /// `freshet_processing_seconds{service,stage}`: how long one unit of work (a request, a batch) took.
    public func latency(stage: String) -> Metrics.Timer {
        Metrics.Timer(label: "freshet_processing_seconds", dimensions: [("service", service), ("stage", stage)])
    }
    /// `freshet_consumer_lag{service,topic,partition}`: records behind the end of a Kafka partition.
    public func consumerLag(topic: String, partition: Int32) -> Gauge {
        Gauge(label: "freshet_consumer_lag", dimensions: [("service", service), ("topic", topic), ("partition", String(partition))])
    }
}
