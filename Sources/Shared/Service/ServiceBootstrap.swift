import Logging

/// The first thing every service does: install logging and metrics from its ``CommonOptions`` and
/// return the service's root logger.
public enum ServiceBootstrap {
    /// Default admin ports, one per service so all four can run on one machine.
    public static let defaultAdminPorts = ["collector": 9100, "shipper": 9101, "enricher": 9102, "loader": 9103]

    public static func start(service: String, options: CommonOptions) throws -> Logger {
        FreshetLogHandler.bootstrap(service: service, format: options.logFormat, level: try options.validatedLogLevel())
        MetricsRegistry.bootstrap()
        var logger = Logger(label: "freshet.\(service)")
        logger[metadataKey: "version"] = "\(FreshetVersion.current)"
        logger.info("starting", metadata: ["component": "lifecycle"])
        return logger
    }

    /// The admin server configuration from the options, with the service's default port.
    public static func adminConfiguration(service: String, options: CommonOptions) -> AdminServer.Configuration {
        AdminServer.Configuration(host: options.adminHost, port: options.adminPort ?? defaultAdminPorts[service] ?? 0)
    }
}
