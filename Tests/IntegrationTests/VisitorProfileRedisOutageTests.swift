import Foundation
import FreshetTestSupport
import Testing

@testable import Enricher
@testable import Shared

/// The visitor profile store against a PRIVATE redis-server (its own port, append-only file synced on
/// every write so a restart keeps the data), which the tests stop and restart, and whose `INFO`
/// counters no other client touches.
@Suite(.timeLimit(.minutes(2))) struct VisitorProfileRedisOutageTests {
    typealias T = VisitorProfileTesting
    let start = VisitorProfileTesting.start
    let minute = VisitorProfileTesting.minute

    static func persistentServer() async throws -> (RedisServerProcess, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            TestEnvironment.uniqueName("redis"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try await RedisServerProcess(arguments: [
            "--appendonly", "yes", "--appendfsync", "always", "--dir", directory.path,
        ])
        return (server, directory)
    }

    static func client(_ server: RedisServerProcess) -> RedisClient {
        RedisClient(
            configuration: RedisConfiguration(
                port: server.port, poolSize: 1, reconnectBackoff: .milliseconds(10),
                maximumReconnectBackoff: .milliseconds(100)))
    }

    /// Pause notifications as a stream the test can wait on.
    static func pauseStream() -> (AsyncStream<Bool>, @Sendable (Bool) -> Void) {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self)
        return (stream, { continuation.yield($0) })
    }

    @Test func underPauseABatchWaitsForRedisAndNothingIsLost() async throws {
        let (server, directory) = try await Self.persistentServer()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = T.configuration("pause")
        configuration.retryBackoff = .milliseconds(20)
        configuration.maximumRetryBackoff = .milliseconds(200)
        let (pauses, onPause) = Self.pauseStream()
        let store = try VisitorProfileStore(
            redis: Self.client(server), configuration: configuration, onPauseChange: onPause)

        let before = try await store.update((0..<3).map { T.input("ivy", at: start + Int64($0) * minute) })
        #expect(before.outputs.map { $0.context?.eventCount } == [1, 2, 3])

        await server.stop()
        let waiting = Task { try await store.update((3..<5).map { T.input("ivy", at: start + Int64($0) * minute) }) }
        var iterator = pauses.makeAsyncIterator()
        #expect(await iterator.next() == true, "the batch is paused while Redis is down")
        try await server.start()
        let after = try await waiting.value
        #expect(await iterator.next() == false, "and goes on once Redis answers")

        #expect(!after.isSkipped && after.attempts >= 2)
        #expect(
            after.outputs.map { $0.context?.eventCount } == [4, 5],
            "counted once each, after the three from before the outage")
        #expect(after.outputs.allSatisfy { $0.context?.sessionId == before.outputs[0].context?.sessionId })
        await server.stop()
    }

    @Test func underSkipABatchGoesOnWithoutProfileAndTheNextOneUsesRedisAgain() async throws {
        let (server, directory) = try await Self.persistentServer()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = T.configuration("skip")
        configuration.unavailableBehaviour = .skip
        let store = try VisitorProfileStore(redis: Self.client(server), configuration: configuration)

        _ = try await store.update([T.input("jack", at: start)])
        await server.stop()
        let skipped = try await store.update([
            T.input("jack", at: start + minute), T.input("jack", at: start + 2 * minute),
        ])
        #expect(skipped.isSkipped && skipped.attempts == 1)
        #expect(skipped.outputs == [.none, .none])
        guard case .skipped(let error) = skipped.status else { Issue.record("expected skipped"); return }
        #expect(error.code == .visitorProfileUnavailable && error.isRetriable)

        try await server.start()
        // The reconnect backoff of the client may still be running: bounded polling until Redis answers.
        var resumed: VisitorProfileBatch?
        for _ in 0..<200 {
            let batch = try await store.update([T.input("jack", at: start + 3 * minute)])
            if !batch.isSkipped {
                resumed = batch
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let resumedBatch = try #require(resumed)
        let context = try #require(resumedBatch.outputs[0].context)
        #expect(
            context.eventCount == 2 && !context.isNewVisitor,
            "the skipped events were not counted; the profile survived")
        await server.stop()
    }

    @Test func cancellingAPausedBatchEndsTheWait() async throws {
        let server = try await RedisServerProcess()
        var configuration = T.configuration("cancel")
        configuration.retryBackoff = .milliseconds(20)
        let (pauses, onPause) = Self.pauseStream()
        let store = try VisitorProfileStore(
            redis: Self.client(server), configuration: configuration, onPauseChange: onPause)
        await server.stop()
        let waiting = Task { try await store.update([T.input("kim", at: start)]) }
        var iterator = pauses.makeAsyncIterator()
        #expect(await iterator.next() == true)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(await iterator.next() == false)
    }

    @Test func aBatchOfAThousandEventsIsOneRoundTrip() async throws {
        let server = try await RedisServerProcess()
        let redis = Self.client(server)
        let configuration = T.configuration("roundtrip")
        let store = try VisitorProfileStore(redis: redis, configuration: configuration)
        let campaign = VisitorProfileInput.Attribution(
            marketingMedium: "cpc", marketingSource: "google", marketingCampaign: "c")
        func batch(_ round: Int) -> [VisitorProfileInput] {
            (0..<1000).map {
                T.input(
                    "v\($0 % 400)", at: start + Int64(round * 1000 + $0), attribution: $0 % 7 == 0 ? campaign : .init())
            }
        }
        _ = try await store.update(batch(0))  // loads the script into this server's cache

        let commandsBefore = try await T.info("commandstats", redis: redis)
        let statsBefore = try await T.info("stats", redis: redis)
        let result = try await store.update(batch(1))
        let statsAfter = try await T.info("stats", redis: redis)
        let commandsAfter = try await T.info("commandstats", redis: redis)
        func delta(_ name: String, _ before: [String: Int], _ after: [String: Int]) -> Int {
            (after[name] ?? 0) - (before[name] ?? 0)
        }

        #expect(result.outputs.allSatisfy { $0.context != nil } && result.attempts == 1)
        #expect(delta("cmdstat_evalsha.calls", commandsBefore, commandsAfter) == 1, "one script call for the batch")
        #expect(delta("cmdstat_script|load.calls", commandsBefore, commandsAfter) == 0)
        #expect(delta("cmdstat_eval.calls", commandsBefore, commandsAfter) == 0)
        // The server read the batch (~60 KB of arguments) in a few socket reads; the INFO between adds one.
        let reads = delta("total_reads_processed", statsBefore, statsAfter)
        #expect(reads >= 2 && reads < 30, "socket reads for the batch: \(reads)")

        // After the script cache is lost (a restart, SCRIPT FLUSH) the first batch needs one more round trip.
        try await redis.command("SCRIPT", "FLUSH")
        let flushedBefore = try await T.info("commandstats", redis: redis)
        _ = try await store.update(batch(2))
        let flushedAfter = try await T.info("commandstats", redis: redis)
        #expect(delta("cmdstat_evalsha.calls", flushedBefore, flushedAfter) == 2)
        #expect(delta("cmdstat_script|load.calls", flushedBefore, flushedAfter) == 1, "SCRIPT LOAD")
        await server.stop()
    }
}
