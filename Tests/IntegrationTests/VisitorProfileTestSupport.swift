import Foundation
import FreshetTestSupport
import Synchronization
import Testing

@testable import Enricher
@testable import Shared

/// Helpers of the visitor profile integration tests: inputs, a wall clock the test moves, and cleanup
/// of a test's own key prefix.
enum VisitorProfileTesting {
    /// 2024-03-01 10:00:00 UTC, the event time most tests start at.
    static let start: Int64 = 1_709_287_200_000
    static let minute: Int64 = 60_000

    static func input(
        _ visitor: String?, at milliseconds: Int64, eventId: String? = UUID().uuidString.lowercased(),
        pageView: Bool = true,
        attribution: VisitorProfileInput.Attribution = .init()
    ) -> VisitorProfileInput {
        VisitorProfileInput(
            eventId: eventId, domainUserid: visitor, networkUserid: nil,
            timestamp: SnowplowTimestamp(millisecondsSinceEpoch: milliseconds)!, isPageView: pageView,
            attribution: attribution)
    }

    /// A client of the shared local Redis. `commandTimeout` defaults to 10 s, not the production 1 s: a
    /// loaded CI machine can stall Redis for over a second, and a reply later than the timeout fails the
    /// command (or makes the store retry the batch, which is then — correctly — answered as a replay that
    /// a test asserting exact per-event answers would misread). Tests of timeout behaviour use their own
    /// client.
    static func sharedRedis(poolSize: Int = 2, commandTimeout: Duration = .seconds(10)) -> RedisClient {
        RedisClient(
            configuration: RedisConfiguration(
                host: TestEnvironment.redisHost, port: TestEnvironment.redisPort, commandTimeout: commandTimeout,
                poolSize: poolSize))
    }

    /// A configuration with a key prefix no other test uses.
    static func configuration(_ name: String) -> VisitorProfileConfiguration {
        VisitorProfileConfiguration(keyPrefix: TestEnvironment.uniqueName("test_profile_\(name)") + ":")
    }

    /// Deletes every key under `prefix`.
    static func removeKeys(prefix: String, redis: RedisClient) async throws {
        var cursor = "0"
        repeat {
            let reply = try await redis.command(
                "SCAN", RedisArgument(cursor), "MATCH", RedisArgument(prefix + "*"), "COUNT", 1000)
            guard let parts = reply.array, parts.count == 2 else { throw TestFailure("unexpected SCAN reply \(reply)") }
            cursor = parts[0].string ?? "0"
            let keys = (parts[1].array ?? []).compactMap(\.bytes).map { RedisArgument(bytes: $0) }
            if !keys.isEmpty { try await redis.command(["DEL"] + keys) }
        } while cursor != "0"
    }

    /// The keys under `prefix`.
    static func keys(prefix: String, redis: RedisClient) async throws -> [String] {
        let reply = try await redis.command("KEYS", RedisArgument(prefix + "*"))
        return (reply.array ?? []).compactMap(\.string).sorted()
    }

    /// The contexts of `batch`, failing the test when one is missing.
    static func contexts(_ batch: VisitorProfileBatch, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> [VisitorContext]
    {
        try batch.outputs.map { try #require($0.context, sourceLocation: sourceLocation) }
    }

    /// `INFO <section>` as numbers: `name:value` lines, and `cmdstat_x:calls=1,usec=…` as `cmdstat_x.calls`.
    static func info(_ section: String, redis: RedisClient) async throws -> [String: Int] {
        let text = try await redis.command("INFO", RedisArgument(section)).string ?? ""
        var values: [String: Int] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if let value = Int(parts[1]) {
                values[parts[0]] = value
            } else {
                for field in parts[1].split(separator: ",") {
                    let pair = field.split(separator: "=", maxSplits: 1)
                    if pair.count == 2, let value = Int(pair[1]) { values["\(parts[0]).\(pair[0])"] = value }
                }
            }
        }
        return values
    }
}

/// A wall clock (ms) that only moves when the test says so.
final class ManualClock: Sendable {
    private let value: Mutex<Int64>
    init(_ start: Int64 = VisitorProfileTesting.start) { value = Mutex(start) }
    var now: Int64 { value.withLock { $0 } }
    func advance(by milliseconds: Int64) { value.withLock { $0 += milliseconds } }
    var function: @Sendable () -> Int64 { { self.now } }
}
