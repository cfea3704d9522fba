import FreshetTestSupport
import Foundation
import Testing

@testable import Shared

/// Against the shared local Redis (`FRESHET_TEST_REDIS_*`); every test uses its own key prefix and
/// deletes its keys.
@Suite(.timeLimit(.minutes(1))) struct RedisClientTests {
    private let client = RedisClient(configuration: RedisConfiguration(host: TestEnvironment.redisHost, port: TestEnvironment.redisPort))

    private func withKeys<T>(_ count: Int, _ body: ([String]) async throws -> T) async throws -> T {
        let prefix = TestEnvironment.uniqueName("redis_test")
        let keys = (0..<count).map { "\(prefix):\($0)" }
        do {
            let result = try await body(keys)
            try await client.delete(keys)
            return result
        } catch {
            _ = try? await client.delete(keys)
            throw error
        }
    }

    @Test func pingAnswers() async throws {
        try await client.ping()
    }

    @Test func setGetAndExpiryRoundTrip() async throws {
        try await withKeys(2) { keys in
            let binary: [UInt8] = [0, 255, 13, 10, 36, 42]
            try await client.set(keys[0], to: RedisArgument(bytes: binary), expiry: .seconds(60))
            #expect(try await client.get(keys[0]) == binary)
            let ttl = try await client.command("PTTL", RedisArgument(keys[0])).integer ?? -1
            #expect(ttl > 0 && ttl <= 60_000)
            #expect(try await client.get(keys[1]) == nil)
        }
    }

    @Test func hashHelpers() async throws {
        try await withKeys(1) { keys in
            #expect(try await client.hashSet(keys[0], fields: [("a", "1"), ("b", "x")]) == 2)
            #expect(try await client.hashIncrement(keys[0], field: "a", by: 41) == 42)
            #expect(try await client.expire(keys[0], after: .seconds(30)))
            let a = try await client.command("HGET", RedisArgument(keys[0]), "a")
            let b = try await client.command("HGET", RedisArgument(keys[0]), "b")
            #expect(a.string == "42")
            #expect(b.string == "x")
        }
    }

    @Test func concurrentCallsAllApply() async throws {
        try await withKeys(1) { keys in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 { group.addTask { try await client.command("INCR", RedisArgument(keys[0])) } }
                try await group.waitForAll()
            }
            #expect(try await client.get(keys[0]).map { String(decoding: $0, as: UTF8.self) } == "200")
        }
    }

    @Test func wrongTypeIsThrownWithRedisMessageAndReturnedInPipelines() async throws {
        try await withKeys(1) { keys in
            try await client.set(keys[0], to: "text")
            let error = try await #require(throws: FreshetError.self) {
                try await client.hashIncrement(keys[0], field: "f")
            }
            #expect(error.code == .redisErrorReply)
            #expect(!error.isRetriable)
            #expect(error.message.contains("WRONGTYPE Operation against a key holding the wrong kind of value"))

            let replies = try await client.pipeline([["HINCRBY", RedisArgument(keys[0]), "f", 1], ["GET", RedisArgument(keys[0])]])
            #expect(replies.count == 2)
            #expect(replies[0].errorMessage?.hasPrefix("WRONGTYPE") == true)
            #expect(replies[1] == .bulkString(Array("text".utf8)))
        }
    }

    @Test func unknownCommandIsNotRetriable() async throws {
        let error = try await #require(throws: FreshetError.self) { try await client.command("NOSUCHCOMMAND") }
        #expect(error.code == .redisErrorReply)
        #expect(error.message.contains("unknown command"))
    }

    @Test func selectsTheConfiguredDatabase() async throws {
        let other = RedisClient(configuration: RedisConfiguration(host: TestEnvironment.redisHost, port: TestEnvironment.redisPort, database: 5))
        let key = TestEnvironment.uniqueName("redis_db")
        try await other.set(key, to: "in-5", expiry: .seconds(60))
        #expect(try await client.get(key) == nil)
        #expect(try await other.get(key) == Array("in-5".utf8))
        try await other.delete([key])
    }
}
