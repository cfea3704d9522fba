import ArgumentParser
import Logging

/// Options every Freshet service takes: where its admin HTTP endpoints listen and how it logs.
///
/// Each service serves `/health` (alive), `/ready` (its dependencies are reachable) and `/metrics`
/// (Prometheus text format) on its admin port.
public struct CommonOptions: ParsableArguments, Sendable {
    /// Address the admin HTTP server binds to. Default: `0.0.0.0`.
    @Option(help: "Address the admin HTTP server (/health, /ready, /metrics) binds to.")
    public var adminHost: String = "0.0.0.0"

    /// Port of the admin HTTP server; `0` picks a free port (logged at start). Default: per service.
    @Option(help: "Port of the admin HTTP server (/health, /ready, /metrics); 0 picks a free one. Default: the service's own (collector 9100, shipper 9101, enricher 9102, loader 9103).")
    public var adminPort: Int?

    /// Minimum level logged: trace, debug, info, notice, warning, error, critical. Default: `info`.
    @Option(help: "Minimum log level: trace, debug, info, notice, warning, error, critical.")
    public var logLevel: String = "info"

    /// `text` for people, `json` for log collectors (one object per line). Default: `text`.
    @Option(help: "Log format: text (for people) or json (one object per line).")
    public var logFormat: LogFormat = .text

    public init() {}

    /// The parsed log level, or a validation error naming the accepted values.
    public func validatedLogLevel() throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")); got '\(logLevel)'")
        }
        return level
    }

    public mutating func validate() throws {
        _ = try validatedLogLevel()
        if let adminPort, !(0...65535).contains(adminPort) {
            throw ValidationError("--admin-port must be between 0 and 65535; got \(adminPort)")
        }
    }
}

/// The two log line formats.
public enum LogFormat: String, ExpressibleByArgument, Sendable, CaseIterable {
    case text, json
}
