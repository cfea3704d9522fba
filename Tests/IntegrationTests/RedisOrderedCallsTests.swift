import FreshetTestSupport
import Foundation
import Synchronization
import Testing

@testable import Shared

/// ``RedisClient/evalScriptInOrder(_:keys:arguments:proceed:answered:enqueued:)`` against the shared local
/// Redis: calls reach Redis in the order they were queued, whatever order their callers ran in; `answered`
/// of one call runs before `proceed` of the next; a withheld call sends nothing; an unknown script is
/// loaded within the call's turn.
@Suite(.timeLimit(.minutes(1))) struct RedisOrderedCallsTests {
    private let client = RedisClient(configuration: RedisConfiguration(host: TestEnvironment.redisHost, port: TestEnvironment.redisPort))
    private static let push = RedisScript("return redis.call('RPUSH', KEYS[1], ARGV[1])")

    @Test func callsReachRedisInTheOrderTheyWereQueued() async throws {
        let key = TestEnvironment.uniqueName("redis_ordered")
        let queued = (0..<40).map { _ in Signal() }
        let answeredCount = Box(0)
        let outOfTurn = Box<[Int]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Started in reverse with random delays: later calls are ready first and must wait their turn.
            for call in (0..<40).reversed() {
                group.addTask { [client] in
                    try await Task.sleep(for: .microseconds(Int.random(in: 0...3000)))
                    if call > 0 { await queued[call - 1].wait() }
                    try await client.evalScriptInOrder(
                        Self.push, keys: [RedisArgument(key)], arguments: [RedisArgument(call)],
                        proceed: {
                            // Every call queued before this one was answered, and no later one.
                            if answeredCount.withLock({ $0 }) != call { outOfTurn.withLock { $0.append(call) } }
                            return true
                        },
                        answered: { _, _ in answeredCount.withLock { $0 += 1 } },
                        enqueued: { queued[call].fire() })
                }
            }
            try await group.waitForAll()
        }
        let list = try await client.command("LRANGE", RedisArgument(key), 0, -1)
        #expect(list.array?.compactMap { $0.string } == (0..<40).map(String.init))
        #expect(outOfTurn.withLock { $0 }.isEmpty)
        _ = try await client.delete([key])
    }

    @Test func aWithheldCallSendsNothingAndTheNextOneGoes() async throws {
        let key = TestEnvironment.uniqueName("redis_withheld")
        let answered = Box(0)
        await #expect {
            try await client.evalScriptInOrder(
                Self.push, keys: [RedisArgument(key)], arguments: ["never"], proceed: { false },
                answered: { _, _ in answered.withLock { $0 += 1 } })
        } throws: { error in
            (error as? FreshetError)?.code == .redisCallWithheld && (error as? FreshetError)?.isRetriable == true
        }
        #expect(try await client.command("LLEN", RedisArgument(key)).integer == 0)
        #expect(answered.withLock { $0 } == 0)
        let reply = try await client.evalScriptInOrder(Self.push, keys: [RedisArgument(key)], arguments: ["next"])
        #expect(reply.integer == 1)
        _ = try await client.delete([key])
    }

    @Test func anUnknownScriptIsLoadedAndRunWithinTheCall() async throws {
        let key = TestEnvironment.uniqueName("redis_noscript")
        // A source no server has seen: the first EVALSHA is answered NOSCRIPT.
        let script = RedisScript("-- \(UUID().uuidString)\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])")
        let answers = Box(0)
        let first = try await client.evalScriptInOrder(
            script, keys: [RedisArgument(key)], arguments: [5], answered: { _, _ in answers.withLock { $0 += 1 } })
        let second = try await client.evalScriptInOrder(script, keys: [RedisArgument(key)], arguments: [2])
        #expect(first.integer == 5 && second.integer == 7)
        #expect(answers.withLock { $0 } == 1)
        _ = try await client.delete([key])
    }

    @Test func aFailingScriptThrowsItsErrorReplyAndHandsItToAnswered() async throws {
        let answered = Box<String?>(nil)
        await #expect {
            try await client.evalScriptInOrder(
                RedisScript("return redis.error_reply('ERR ordered test failure')"),
                answered: { reply, _ in answered.withLock { $0 = reply.errorMessage } })
        } throws: { error in
            (error as? FreshetError)?.code == .redisErrorReply && "\(error)".contains("ordered test failure")
        }
        #expect(answered.withLock { $0 }?.contains("ordered test failure") == true)
    }

    /// A value shared with the calls' closures.
    final class Box<Value: Sendable>: Sendable {
        private let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        func withLock<R>(_ body: (inout Value) -> R) -> R { value.withLock { body(&$0) } }
    }

    /// A one-shot signal: ``wait()`` returns once ``fire()`` was called.
    final class Signal: Sendable {
        private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func fire() {
            let waiters = state.withLock { state in
                state.fired = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }

        func wait() async {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state in
                    if state.fired { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        }
    }
}
