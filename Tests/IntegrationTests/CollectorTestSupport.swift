import Foundation
import FreshetTestSupport
import Shared

/// A collector child process writing to its own temporary log directory.
final class CollectorUnderTest: @unchecked Sendable {
    let service: RunningService
    let logDirectory: String
    let port: Int

    /// Starts a collector on a free port; `arguments` are added after the defaults.
    init(arguments: [String] = [], logDirectory: String? = nil, environment: [String: String] = [:]) throws {
        let directory = logDirectory ?? (NSTemporaryDirectory() + "freshet-collector-" + UUID().uuidString)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.logDirectory = directory
        service = try RunningService.start("collector", arguments: [
            "--port", "0", "--host", "127.0.0.1", "--admin-port", "0", "--admin-host", "127.0.0.1",
            "--log-directory", directory, "--log-stem", "test", "--worker-threads", "1",
        ] + arguments, environment: environment)
        port = try service.port(loggedWith: "tracking endpoint listening")
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Stops the collector gracefully (which flushes and syncs its files) and returns every record in
    /// its log files, oldest file first: decoded payloads and bad-row JSON lines.
    func stopAndReadRecords() throws -> (payloads: [CollectorPayload], badRows: [String], rawLines: [String]) {
        service.stop(signal: SIGTERM)
        return try Self.readRecords(in: logDirectory)
    }

    static func readRecords(in directory: String) throws -> (payloads: [CollectorPayload], badRows: [String], rawLines: [String]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") }
        // Finished files sort by their timestamp; the active file (no timestamp) is the newest.
        let ordered = names.filter(CollectorLogNaming.isFinished).sorted() + names.filter { !CollectorLogNaming.isFinished($0) }
        var payloads: [CollectorPayload] = []
        var badRows: [String] = []
        var rawLines: [String] = []
        for name in ordered {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            if let last = data.last, last != UInt8(ascii: "\n") {
                throw CollectorTestError.partialLine(file: name)
            }
            for line in data.split(separator: UInt8(ascii: "\n")) {
                rawLines.append(String(decoding: line, as: UTF8.self))
                if line.first == UInt8(ascii: "{") {
                    badRows.append(String(decoding: line, as: UTF8.self))
                } else {
                    payloads.append(try CollectorPayloadLogLine.decode(line).get())
                }
            }
        }
        return (payloads, badRows, rawLines)
    }

    /// `curl` with `arguments`; returns (status, headers, body).
    func curl(_ arguments: [String]) throws -> (status: Int, headers: String, body: Data) {
        let headerFile = NSTemporaryDirectory() + "freshet-curl-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: headerFile) }
        let output = try ChildProcess.run("/usr/bin/curl", ["-s", "--max-time", "60", "-D", headerFile, "-w", "\n%{http_code}"] + arguments)
        var body = output.stdout
        let statusLine = body.split(separator: UInt8(ascii: "\n")).last.map { String(decoding: $0, as: UTF8.self) } ?? ""
        body = body.dropLast(statusLine.utf8.count + 1)
        let headers = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        return (Int(statusLine) ?? 0, headers, Data(body))
    }
}

enum CollectorTestError: Error {
    case partialLine(file: String)
}

extension String {
    /// The value of the first response header `name` (case-insensitive) in a raw header block.
    func headerValues(_ name: String) -> [String] {
        split(separator: "\r\n").compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == name.lowercased() else { return nil }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
    }
}
