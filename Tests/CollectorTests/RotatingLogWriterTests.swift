import Foundation
import Testing

@testable import Collector
@testable import Shared

@Suite struct RotatingLogWriterTests {
    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "freshet-writer-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func files(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    func append(_ writer: RotatingLogWriter, _ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { _ = try writer.append($0) }
    }

    @Test func rotatesBySizeWithoutSplittingABatch() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var finished: [String] = []
        let writer = try RotatingLogWriter(configuration: .init(directory: directory, stem: "c-w0", maxFileBytes: 20, maxFileAge: .seconds(3600))) { finished.append($0) }
        try append(writer, "aaaaaaaaa\n")   // 10
        try append(writer, "bbbbbbbbb\n")   // 20: fits exactly
        try append(writer, "ccccccccc\n")   // would be 30: rotates first
        #expect(finished.count == 1)
        let names = try files(directory)
        #expect(names.count == 2)
        #expect(names.contains("c-w0.log"))
        let finishedName = try #require(names.first { $0 != "c-w0.log" })
        #expect(CollectorLogNaming.isFinished(finishedName))
        #expect(!CollectorLogNaming.isFinished("c-w0.log"))
        #expect(try String(contentsOfFile: directory + "/" + finishedName, encoding: .utf8) == "aaaaaaaaa\nbbbbbbbbb\n")
        #expect(try String(contentsOfFile: directory + "/c-w0.log", encoding: .utf8) == "ccccccccc\n")
    }

    @Test func rotatesByAgeOnlyWhenNotEmpty() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try RotatingLogWriter(configuration: .init(directory: directory, stem: "c-w0", maxFileBytes: 1 << 20, maxFileAge: .seconds(60)))
        try writer.rotateIfAged(now: .now + .seconds(120))
        #expect(writer.rotations == 0, "an empty file is not rotated")
        try append(writer, "x\n")
        try writer.rotateIfAged(now: .now + .seconds(30))
        #expect(writer.rotations == 0, "too young")
        try writer.rotateIfAged(now: .now + .seconds(120))
        #expect(writer.rotations == 1)
        #expect(try files(directory).count == 2)
    }

    @Test func manyRotationsInOneMillisecondKeepDistinctNames() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try RotatingLogWriter(configuration: .init(directory: directory, stem: "c-w0", maxFileBytes: 1 << 20, maxFileAge: .seconds(60)))
        for index in 0..<20 {
            try append(writer, "line \(index)\n")
            try writer.rotate()
        }
        let names = try files(directory)
        #expect(names.count == 21)
        let contents = try names.filter { $0 != "c-w0.log" }.map { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }
        #expect(Set(contents) == Set((0..<20).map { "line \($0)\n" }), "no line lost or duplicated")
    }

    @Test func aFailedWriteIsAFreshetErrorNotACrash() throws {
        // /dev/full fails every write with ENOSPC, like a full disk.
        let file = try CollectorLogFile(path: "/dev/full")
        #expect(throws: FreshetError.self) { try Array("doomed line\n".utf8).withUnsafeBytes { try file.append($0) } }
        #expect(file.size == 0)
    }
}
