import FreshetTestSupport
import Foundation
import Testing

@testable import Shared

/// Redis going away and coming back, on a private server this test stops and restarts.
@Suite(.timeLimit(.minutes(1))) struct RedisReconnectTests {
    @Test func recoversAfterTheServerRestarts() async throws {
        let server = try await RedisServerProcess()
        let configuration = RedisConfiguration(port: server.port, poolSize: 1, reconnectBackoff: .zero, maximumReconnectBackoff: .zero)
        let client = RedisClient(configuration: configuration)
        try await client.set("before", to: "1")

        await server.stop()
        // The established connection breaks: the call fails, retriably.
        let broken = try await #require(throws: FreshetError.self) { try await client.get("before") }
        #expect(broken.code == .redisIOFailed)
        #expect(broken.isRetriable)
        // The next call tries to reconnect and is refused, retriably.
        let refused = try await #require(throws: FreshetError.self) { try await client.get("before") }
        #expect(refused.code == .redisConnectionFailed)
        #expect(refused.isRetriable)
        #expect(refused.message.contains("127.0.0.1:\(server.port)"))

        try await server.start()
        // Back: the next call reconnects and works (the restarted server is empty: no persistence).
        #expect(try await client.get("before") == nil)
        try await client.set("after", to: "2")
        #expect(try await client.get("after") == Array("2".utf8))
        try await client.ping()
        await server.stop()
    }

    @Test func failsFastWhileBackingOff() async throws {
        let server = try await RedisServerProcess()
        let port = server.port
        await server.stop()
        let client = RedisClient(configuration: RedisConfiguration(port: port, poolSize: 1, reconnectBackoff: .seconds(600), maximumReconnectBackoff: .seconds(600)))
        let first = try await #require(throws: FreshetError.self) { try await client.ping() }
        #expect(first.code == .redisConnectionFailed)
        #expect(first.underlying == nil)
        // Within the backoff no connect is attempted: the error says so and carries the last failure.
        let second = try await #require(throws: FreshetError.self) { try await client.ping() }
        #expect(second.code == .redisConnectionFailed)
        #expect(second.isRetriable)
        #expect(second.message.contains("next reconnect attempt"))
        #expect((second.underlying as? FreshetError)?.code == .redisConnectionFailed)
    }

    @Test func authenticatesWithThePassword() async throws {
        let server = try await RedisServerProcess(arguments: ["--requirepass", "s3cret"])
        let good = RedisClient(configuration: RedisConfiguration(port: server.port, password: "s3cret", poolSize: 1))
        try await good.ping()
        let wrong = RedisClient(configuration: RedisConfiguration(port: server.port, password: "nope", poolSize: 1))
        let error = try await #require(throws: FreshetError.self) { try await wrong.ping() }
        #expect(error.code == .redisAuthenticationFailed)
        #expect(!error.isRetriable)
        let none = RedisClient(configuration: RedisConfiguration(port: server.port, poolSize: 1))
        let noAuth = try await #require(throws: FreshetError.self) { try await none.ping() }
        #expect(noAuth.message.contains("NOAUTH"))
        await server.stop()
    }

    @Test func commandTimeoutIsRetriableAndTheConnectionRecovers() async throws {
        let server = try await RedisServerProcess(arguments: ["--enable-debug-command", "yes"])
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, commandTimeout: .milliseconds(200), poolSize: 1))
        let error = try await #require(throws: FreshetError.self) { try await client.command("DEBUG", "SLEEP", "0.5") }
        #expect(error.code == .redisIOFailed)
        #expect(error.isRetriable)
        // The server is still asleep: calls keep failing retriably until it wakes, then the same client
        // answers again on a fresh connection.
        var recovered = false
        for _ in 0..<50 where !recovered {
            do {
                try await client.ping()
                recovered = true
            } catch let failure as FreshetError {
                #expect(failure.isRetriable)
            }
        }
        #expect(recovered)
        await server.stop()
    }
}
