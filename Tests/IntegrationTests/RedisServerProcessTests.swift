import Foundation
import FreshetTestSupport
import Testing

/// A private `redis-server` child process on a free port, for tests that stop and restart Redis or need
/// server-wide state (`SCRIPT FLUSH`, `INFO stats`) no other test touches. Never the shared stack's server.
final class RedisServerProcess: @unchecked Sendable {
    let port: Int
    private let extraArguments: [String]
    private var process: Process?

    /// Starts a server on a free port and returns once it logged "Ready to accept connections".
    init(arguments: [String] = []) async throws {
        self.port = try Self.freePort()
        self.extraArguments = arguments
        try await start()
    }

    deinit { stopNow() }

    /// (Re)starts the server on the same port and waits until it accepts connections.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "notice"] + extraArguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        self.process = process
        let handle = output.fileHandleForReading
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                var log = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty {
                        continuation.resume(throwing: TestFailure("redis-server exited before it was ready: \(String(decoding: log, as: UTF8.self))"))
                        return
                    }
                    log += chunk
                    if String(decoding: log, as: UTF8.self).contains("Ready to accept connections") {
                        // Keep draining so the child never blocks on a full pipe.
                        handle.readabilityHandler = { handle in
                            if handle.availableData.isEmpty { handle.readabilityHandler = nil }
                        }
                        continuation.resume()
                        return
                    }
                }
            }
        }
    }

    /// Kills the server (SIGKILL, like a crash; SIGTERM may be blocked in children of the test runner)
    /// and waits until the process has exited.
    func stop() async {
        guard let process else { return }
        self.process = nil
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    private func stopNow() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw TestFailure("socket() failed") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) == 0 && getsockname(socketDescriptor, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite(.timeLimit(.minutes(1))) struct RedisServerProcessTests {
    @Test func startsAndStopsAPrivateServer() async throws {
        let server = try await RedisServerProcess()
        let connection = try ChildProcess.run("/usr/bin/redis-cli", ["-p", String(server.port), "PING"])
        #expect(connection.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "PONG")
        await server.stop()
        let after = try ChildProcess.run("/usr/bin/redis-cli", ["-p", String(server.port), "PING"])
        #expect(!after.stdoutText.contains("PONG"))
    }
}
