import Logging
import ServiceLifecycle

/// Runs a service's parts under swift-service-lifecycle until SIGTERM or SIGINT, then shuts them down
/// gracefully in reverse order (the last service given stops first: list intake last, so it stops first,
/// and the admin server first, so `/health` answers until the end).
public enum ServiceRunner {
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        logger.info("stopped", metadata: ["component": "lifecycle"])
    }
}
