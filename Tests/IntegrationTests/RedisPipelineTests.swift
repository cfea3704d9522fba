import FreshetTestSupport
import Foundation
import Testing

@testable import Shared

/// Pipelining and scripts on a private server, whose `INFO stats` counters and script cache no other
/// client touches.
@Suite(.timeLimit(.minutes(1))) struct RedisPipelineTests {
    private func stats(_ client: RedisClient) async throws -> [String: Int] {
        let text = try await client.command("INFO", "stats").string ?? ""
        var values: [String: Int] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, let value = Int(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    @Test func aThousandCommandsGoInOneRoundTripAndAnswerInOrder() async throws {
        let server = try await RedisServerProcess()
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, poolSize: 1))
        var commands: [[RedisArgument]] = []
        for index in 0..<500 {
            commands.append(["SET", RedisArgument("k:\(index)"), RedisArgument("value-\(index)")])
            commands.append(["INCR", "counter"])
        }
        let before = try await stats(client)
        let replies = try await client.pipeline(commands)
        let after = try await stats(client)

        #expect(replies.count == 1000)
        for index in 0..<500 {
            #expect(replies[2 * index] == .simpleString("OK"))
            #expect(replies[2 * index + 1] == .integer(Int64(index + 1)))
        }
        // The pipeline plus the second INFO ran 1001 commands …
        #expect((after["total_commands_processed"] ?? 0) - (before["total_commands_processed"] ?? 0) == 1001)
        // … but the server needed only a few socket reads for them (one round trip, ~30 KB), where
        // 1000 separate round trips would need at least 1000.
        let reads = (after["total_reads_processed"] ?? 0) - (before["total_reads_processed"] ?? 0)
        #expect(reads >= 1 && reads < 50, "server read events for the pipeline: \(reads)")

        let readBack = try await client.pipeline((0..<500).map { ["GET", RedisArgument("k:\($0)")] })
        #expect(readBack == (0..<500).map { .bulkString(Array("value-\($0)".utf8)) })
        await server.stop()
    }

    @Test func scriptsRunBySHAAndReloadAfterScriptFlush() async throws {
        let server = try await RedisServerProcess()
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, poolSize: 2))
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")

        // Our SHA-1 is the name Redis itself gives the script.
        #expect(try await client.command("SCRIPT", "LOAD", RedisArgument(script.source)).string == script.sha1)
        #expect(try await client.evalScript(script, keys: ["total"], arguments: [5]) == .integer(5))

        try await client.command("SCRIPT", "FLUSH")
        #expect(try await client.command("SCRIPT", "EXISTS", RedisArgument(script.sha1)) == .array([.integer(0)]))
        // NOSCRIPT → SCRIPT LOAD → EVALSHA, transparently.
        #expect(try await client.evalScript(script, keys: ["total"], arguments: [7]) == .integer(12))
        #expect(try await client.command("SCRIPT", "EXISTS", RedisArgument(script.sha1)) == .array([.integer(1)]))
        await server.stop()
    }

    @Test func scriptErrorsAreThrown() async throws {
        let server = try await RedisServerProcess()
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, poolSize: 1))
        let error = try await #require(throws: FreshetError.self) {
            try await client.evalScript(RedisScript("return redis.error_reply('quota exceeded')"))
        }
        #expect(error.code == .redisErrorReply)
        #expect(error.message.contains("quota exceeded"))
        #expect(!error.isRetriable)
        await server.stop()
    }
}
