import Foundation
import FreshetTestSupport
import Shared
import Testing

/// What the collector promises about its log files: every acknowledged request is in them exactly once,
/// whole, through rotation and when the disk fills up.
@Suite(.serialized) struct CollectorDeliveryTests {
    /// Sends `count` requests `/i?e=pv&n=<i>` over `threads` keep-alive connections; prints one line per
    /// answer: `<n> <status>`.
    static let loadScript = """
        import http.client, sys, threading
        port, count, threads, pad = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        results = [None] * count
        def worker(start):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for n in range(start, count, threads):
                conn.request("GET", f"/i?e=pv&n={n}&pad={'x' * pad}")
                response = conn.getresponse()
                response.read()
                results[n] = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for w in workers: w.start()
        for w in workers: w.join()
        for n, status in enumerate(results): print(n, status)
        """

    static func sequenceNumber(_ payload: CollectorPayload) -> Int? {
        guard let query = payload.querystring else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("n=") { return Int(pair.dropFirst(2)) }
        return nil
    }

    @Test func rotationUnderContinuousLoadLosesAndDuplicatesNothing() throws {
        let collector = try CollectorUnderTest(arguments: ["--max-file-bytes", "40000", "--max-file-age", "1s", "--worker-threads", "2"])
        let count = 6000
        let output = try ChildProcess.python(Self.loadScript, arguments: [String(collector.port), String(count), "4", "50"])
        let statuses = output.stdoutText.split(separator: "\n").map { $0.split(separator: " ") }
        #expect(statuses.count == count, "\(output.stderrText)")
        #expect(statuses.allSatisfy { $0.last == "200" })
        let records = try collector.stopAndReadRecords()
        let numbers = records.payloads.compactMap(Self.sequenceNumber)
        #expect(numbers.count == count, "no line lost or duplicated")
        #expect(Set(numbers) == Set(0..<count))
        let rotations = collector.service.log.split(separator: "\n").filter { $0.contains("rotated log file") }.count
        #expect(rotations >= 5, "the test must actually rotate (saw \(rotations))")
    }

    static let canMountTmpfs: Bool = {
        let directory = NSTemporaryDirectory() + "freshet-tmpfs-probe-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard (try? ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", directory]))?.status == 0 else { return false }
        _ = try? ChildProcess.run("/bin/umount", [directory])
        return true
    }()

    @Test(.enabled(if: canMountTmpfs, "needs root to mount a small tmpfs as a disk that fills up"))
    func aFullDiskAnswers503AndLeavesNoPartialLine() throws {
        let directory = NSTemporaryDirectory() + "freshet-full-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(try ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=200k", "tmpfs", directory]).status == 0)
        defer {
            _ = try? ChildProcess.run("/bin/umount", ["-l", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
        let collector = try CollectorUnderTest(logDirectory: directory)
        let output = try ChildProcess.python(Self.loadScript, arguments: [String(collector.port), "600", "2", "700"])
        let answers = output.stdoutText.split(separator: "\n").map { $0.split(separator: " ") }.map { (Int($0[0])!, Int($0[1])!) }
        let accepted = Set(answers.filter { $0.1 == 200 }.map(\.0))
        let refused = answers.filter { $0.1 == 503 }.count
        #expect(refused > 0, "the disk must fill up during the test")
        #expect(accepted.count + refused == 600, "every request got 200 or 503: \(Set(answers.map(\.1)))")
        #expect(collector.service.process.isRunning, "a full disk does not crash the collector")
        let records = try collector.stopAndReadRecords()  // throws on a partial line
        let written = records.payloads.compactMap(Self.sequenceNumber)
        #expect(Set(written) == accepted, "exactly the acknowledged requests are on disk")
        #expect(written.count == accepted.count)
    }
}
