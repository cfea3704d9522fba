import Foundation
import FreshetTestSupport
import Testing

/// Starts the real executables the way an operator does and checks the behaviour every service shares:
/// admin endpoints, configuration from the environment, graceful shutdown on SIGTERM/SIGINT.
@Suite struct ServiceExecutableTests {
    static let services = ["collector", "shipper", "enricher", "loader"]

    @Test(arguments: services)
    func servesHealthAndStopsCleanlyOnSIGTERM(service: String) async throws {
        let running = try RunningService.start(service, environment: ["FRESHET_ADMIN_PORT": "0", "FRESHET_ADMIN_HOST": "127.0.0.1"])
        let port = try running.waitForAdminPort()
        #expect(try ChildProcess.run("/usr/bin/curl", ["-s", "--max-time", "10", "http://127.0.0.1:\(port)/health"]).stdoutText == "ok\n")
        let metrics = try ChildProcess.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/metrics"])
        #expect(metrics.stdoutText == "200")
        let status = running.stop(signal: SIGTERM)
        #expect(status == 0, "a graceful shutdown exits 0; log:\n\(running.log)")
        #expect(running.log.contains("stopped"))
    }

    @Test func jsonLogsWhenConfiguredThroughTheEnvironment() async throws {
        let running = try RunningService.start("loader", environment: ["FRESHET_ADMIN_PORT": "0", "FRESHET_LOG_FORMAT": "json"])
        _ = try running.waitForAdminPort()
        #expect(running.stop(signal: SIGINT) == 0)
        let first = try #require(running.log.split(separator: "\n").first)
        let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        #expect(object?["service"] as? String == "loader")
        #expect(object?["level"] as? String == "info")
    }

    @Test func anInvalidOptionIsRefusedWithAClearMessage() throws {
        let output = try ChildProcess.run(RunningService.binary("shipper"), ["--log-level", "loud"])
        #expect(output.status != 0)
        #expect(output.stderrText.contains("--log-level must be one of"))
    }
}

/// A service process started from the build folder, its standard error collected.
final class RunningService: @unchecked Sendable {  // the log buffer is guarded by `lock`
    let process = Process()
    private let lock = NSLock()
    private var buffer = Data()

    static func binary(_ name: String) -> String {
        let configuration = ProcessInfo.processInfo.environment["FRESHET_TEST_BUILD_CONFIGURATION"] ?? "debug"
        return TestEnvironment.repositoryRoot.appendingPathComponent(".build/\(configuration)/\(name)").path
    }

    static func start(_ name: String, arguments: [String] = [], environment: [String: String]) throws -> RunningService {
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

    var log: String { lock.withLock { String(decoding: buffer, as: UTF8.self) } }

    /// The admin port the service logged, waiting for the line (bounded: 30 s).
    func waitForAdminPort() throws -> Int {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let range = log.range(of: #"address=[^ ]*:(\d+)"#, options: .regularExpression) {
                let match = log[range]
                if let port = Int(match.split(separator: ":").last ?? "") { return port }
            }
            if let range = log.range(of: #""address":"[^"]*:(\d+)""#, options: .regularExpression) {
                let digits = log[range].split(separator: ":").last?.filter(\.isNumber) ?? ""
                if let port = Int(digits) { return port }
            }
            guard process.isRunning else { throw ServiceExited(log: log) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ServiceExited(log: "no admin port logged within 30 s:\n" + log)
    }

    func stop(signal: Int32) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    struct ServiceExited: Error, CustomStringConvertible {
        var log: String
        var description: String { "the service exited early:\n\(log)" }
    }
}
