import Metrics
import Prometheus

/// The process-wide Prometheus registry behind swift-metrics: every `Counter`, `Gauge`, `Timer` or
/// `Recorder` created anywhere in a service is exported by the admin server's `/metrics`.
///
/// Lifetime: bootstrapped once per process; later calls return the same registry.
public enum MetricsRegistry {
    private static let registry = PrometheusCollectorRegistry()
    private static let bootstrapOnce: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Latency buckets from 0.5 ms to 30 s: covers an HTTP answer as well as a ClickHouse batch.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// Installs the Prometheus factory as the swift-metrics backend (idempotent) and returns the registry.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        _ = bootstrapOnce
        return registry
    }

    /// The Prometheus text exposition of every metric registered so far.
    public static func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }
}
