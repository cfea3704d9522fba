import Foundation
import FreshetTestSupport
import Shared

/// A private `clickhouse-server` child process on free ports with its own data directory, for tests
/// that stop and restart ClickHouse. Its configuration is Debian's, rewritten the way
/// `scripts/stack.sh` does it. Never the shared stack's server. The data survives ``stop()`` and
/// ``start()``; ``remove()`` deletes it.
final class ClickHouseServerProcess: @unchecked Sendable {  // `pid` is only touched by the test's task
    let httpPort: Int
    let tcpPort: Int
    let directory: String
    private var pid: pid_t?

    var url: String { "http://127.0.0.1:\(httpPort)" }

    init() async throws {
        httpPort = try Self.freePort()
        tcpPort = try Self.freePort()
        let interserverPort = try Self.freePort()
        directory = NSTemporaryDirectory() + "freshet-clickhouse-" + UUID().uuidString
        for sub in ["data", "log", "config"] {
            try FileManager.default.createDirectory(atPath: "\(directory)/\(sub)", withIntermediateDirectories: true)
        }
        var config = try String(contentsOfFile: "/etc/clickhouse-server/config.xml", encoding: .utf8)
        config = config.replacingOccurrences(of: "/var/lib/clickhouse/", with: "\(directory)/data/")
            .replacingOccurrences(of: "/var/log/clickhouse-server/", with: "\(directory)/log/")
            .replacingOccurrences(of: "<http_port>8123</http_port>", with: "<http_port>\(httpPort)</http_port>")
            .replacingOccurrences(of: "<tcp_port>9000</tcp_port>", with: "<tcp_port>\(tcpPort)</tcp_port>")
            .replacingOccurrences(of: "<interserver_http_port>9009</interserver_http_port>", with: "<interserver_http_port>\(interserverPort)</interserver_http_port>")
            .replacingOccurrences(of: "<listen_host>::1</listen_host>", with: "")
        try config.write(toFile: "\(directory)/config/config.xml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: "/etc/clickhouse-server/users.xml", toPath: "\(directory)/config/users.xml")
        try await start()
    }

    deinit {
        if let pid {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts the server and waits (bounded) until `/ping` answers.
    ///
    /// Spawned with `posix_spawn`, not Foundation's `Process`: clickhouse-server closes the descriptors
    /// it inherits, which Foundation takes for the child's exit and answers with a blocking `wait4` on
    /// its one monitoring thread — after which no other child process of the test is ever seen to end.
    func start() async throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = ["/usr/sbin/clickhouse-server", "--config-file=\(directory)/config/config.xml"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, arguments[0], &actions, nil, &argv, environ)
        guard result == 0 else { throw TestFailure("posix_spawn clickhouse-server failed: \(result)") }
        pid = child
        let client = ClickHouseClient(configuration: ClickHouseConfiguration(url: url, connectTimeout: .seconds(1), requestTimeout: .seconds(2)))
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? await client.ping()) != nil { return }
            guard kill(child, 0) == 0 else { throw TestFailure("clickhouse-server exited; see \(directory)/log") }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("clickhouse-server did not answer /ping within 60 s; see \(directory)/log")
    }

    /// Kills the server (SIGKILL, like a crash) and waits until it has exited.
    func stop() async {
        guard let pid else { return }
        self.pid = nil
        kill(pid, SIGKILL)
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                continuation.resume()
            }
        }
    }

    private static func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw TestFailure("socket() failed") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) == 0 && getsockname(socketDescriptor, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
