import Foundation

/// Where the tests find the repository, the project virtualenv and the local stack.
///
/// The local stack (`make stack-up`) listens on the addresses below; `make test` exports the same
/// variables, so a developer can point the tests at other servers by setting them.
public enum TestEnvironment {
    /// The repository root, derived from this file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The Python interpreter of the git-ignored project virtualenv (`.venv`), which holds the oracles:
    /// `thrift`, `snowplow-analytics-sdk`, `snowplow-tracker`, `confluent-kafka`, …
    public static var python: String {
        ProcessInfo.processInfo.environment["FRESHET_PYTHON"]
            ?? repositoryRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// Kafka bootstrap servers. Default: `127.0.0.1:9092`.
    public static var kafkaBrokers: String { env("FRESHET_TEST_KAFKA_BROKERS", "127.0.0.1:9092") }
    /// Redis host. Default: `127.0.0.1`.
    public static var redisHost: String { env("FRESHET_TEST_REDIS_HOST", "127.0.0.1") }
    /// Redis port. Default: `6379`.
    public static var redisPort: Int { Int(env("FRESHET_TEST_REDIS_PORT", "6379")) ?? 6379 }
    /// ClickHouse HTTP endpoint. Default: `http://127.0.0.1:8123`.
    public static var clickHouseURL: String { env("FRESHET_TEST_CLICKHOUSE_URL", "http://127.0.0.1:8123") }

    /// A name no other test (or earlier run) uses, for topics, key prefixes and tables.
    public static func uniqueName(_ prefix: String) -> String {
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        return "\(prefix)_\(suffix)"
    }

    private static func env(_ name: String, _ fallback: String) -> String {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    }
}

/// The result of running a child process to completion.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs external programs for the tests: the Python oracles and the built executables.
public enum ChildProcess {
    /// Runs `executable` with `arguments`, feeding `input` on standard input, and waits for it.
    /// Output is drained concurrently so a chatty child never blocks on a full pipe.
    public static func run(
        _ executable: String, _ arguments: [String], input: Data = Data(), environment: [String: String]? = nil
    ) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        nonisolated(unsafe) var err = Data()
        DispatchQueue.global().async(group: group) { out = stdoutPipe.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = stderrPipe.fileHandleForReading.readDataToEndOfFile() }
        stdinPipe.fileHandleForWriting.write(input)
        try? stdinPipe.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        return ProcessOutput(status: process.terminationStatus, stdout: out, stderr: err)
    }

    /// ``run(_:_:input:environment:)`` on a thread of its own, for async tests that also serve something
    /// in-process on Swift's cooperative pool: waiting there for a child would starve the server.
    public static func runOffPool(
        _ executable: String, _ arguments: [String], input: Data = Data(), environment: [String: String]? = nil
    ) async throws -> ProcessOutput {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try run(executable, arguments, input: input, environment: environment) })
            }
        }
    }

    /// Runs a Python script from the project virtualenv (`-c script`), with `arguments` after it.
    public static func python(_ script: String, arguments: [String] = [], input: Data = Data()) throws -> ProcessOutput {
        try run(TestEnvironment.python, ["-c", script] + arguments, input: input)
    }
}
