import Foundation

/// One of the built executables (`collector`, `shipper`, `enricher`, `loader`) running as a child
/// process, the way an operator starts it, with its standard error collected for the test to read.
public final class RunningService: @unchecked Sendable {  // the log buffer is guarded by `lock`
    public let process = Process()
    private let lock = NSLock()
    private var buffer = Data()

    /// The path of a built executable (`FRESHET_TEST_BUILD_CONFIGURATION`: debug by default).
    public static func binary(_ name: String) -> String {
        let configuration = ProcessInfo.processInfo.environment["FRESHET_TEST_BUILD_CONFIGURATION"] ?? "debug"
        return TestEnvironment.repositoryRoot.appendingPathComponent(".build/\(configuration)/\(name)").path
    }

    /// Starts `name` with `arguments`; `environment` is added to the test's own.
    public static func start(_ name: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> RunningService {
        let service = RunningService()
        service.process.executableURL = URL(fileURLWithPath: binary(name))
        service.process.arguments = arguments
        service.process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        service.process.standardError = pipe
        service.process.standardOutput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            service.lock.withLock { service.buffer.append(data) }
        }
        try service.process.run()
        return service
    }

    /// Everything the process logged so far.
    public var log: String { lock.withLock { String(decoding: buffer, as: UTF8.self) } }

    /// Waits (bounded) for a log line containing `text` and returns it.
    public func waitForLine(containing text: String, timeout: Duration = .seconds(30)) throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            guard process.isRunning else { throw Failure(message: "the service exited (status \(process.terminationStatus)) before logging '\(text)'", log: log) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw Failure(message: "no log line containing '\(text)' within \(timeout)", log: log)
    }

    /// The port in the `address=host:port` (text) or `"address":"host:port"` (JSON) of the first log
    /// line containing `text`, e.g. `"admin endpoints listening"`.
    public func port(loggedWith text: String) throws -> Int {
        let line = try waitForLine(containing: text)
        guard let range = line.range(of: #"address"?[=:]"?[^ "]*:(\d+)"#, options: .regularExpression),
            let port = Int(line[range].split(separator: ":").last?.filter(\.isNumber) ?? "")
        else { throw Failure(message: "no address in: \(line)", log: log) }
        return port
    }

    /// The admin port (`/health`, `/ready`, `/metrics`).
    public func adminPort() throws -> Int { try port(loggedWith: "admin endpoints listening") }

    /// Sends `signal` and waits for the process to end; returns its exit status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var log: String
        public var description: String { "\(message)\n--- service log ---\n\(log)" }
    }
}
