import Foundation
import FreshetTestSupport
import Testing

@testable import Enricher
@testable import Shared

/// Throughput of ``VisitorProfileStore/update(_:)`` in batches of 1000 events against the local Redis.
/// Not a test (speed belongs in benchmarks): runs only under `bench/visitor-profile.sh`, which sets
/// `FRESHET_BENCH_VISITOR_PROFILE` to the number of batches, and prints `visitor_profile …` lines.
@Suite struct VisitorProfileBenchmark {
    static let batches = Int(ProcessInfo.processInfo.environment["FRESHET_BENCH_VISITOR_PROFILE"] ?? "") ?? 0

    /// A realistic mix: 20 000 visitors (a few heavy ones), a third page views, one event in ten with a
    /// referer or campaign, UUID event ids, event times moving forward with session gaps.
    static func batch(_ round: Int, size: Int) -> [VisitorProfileInput] {
        var generator = SystemRandomNumberGenerator()
        let search = VisitorProfileInput.Attribution(
            refererMedium: "search", refererSource: "Google", refererTerm: "running shoes",
            refererHost: "www.google.com")
        let campaign = VisitorProfileInput.Attribution(
            marketingMedium: "cpc", marketingSource: "google", marketingContent: "ad-42",
            marketingCampaign: "spring-sale", marketingClickId: "EAIaIQobChMI", marketingNetwork: "Google")
        return (0..<size).map { index in
            let visitor =
                Int.random(in: 0..<10, using: &generator) == 0
                ? Int.random(in: 0..<50, using: &generator) : Int.random(in: 0..<20_000, using: &generator)
            let kind = Int.random(in: 0..<20, using: &generator)
            return VisitorProfileInput(
                eventId: UUID().uuidString.lowercased(),
                domainUserid: "d5e1c1c0-0000-4000-8000-\(String(format: "%012d", visitor))",
                networkUserid: UUID().uuidString.lowercased(),
                timestamp: SnowplowTimestamp(
                    millisecondsSinceEpoch: VisitorProfileTesting.start + Int64(round) * 60_000 + Int64(index))!,
                isPageView: index % 3 == 0, attribution: kind == 0 ? search : kind == 1 ? campaign : .init())
        }
    }

    @Test(.enabled(if: batches > 0)) func eventsPerSecondThroughUpdate() async throws {
        let configuration = VisitorProfileTesting.configuration("bench")
        let redis = VisitorProfileTesting.sharedRedis(poolSize: 4)
        let store = try VisitorProfileStore(redis: redis, configuration: configuration)
        let size = 1000
        let prepared = (0..<Self.batches).map { Self.batch($0, size: size) }
        _ = try await store.update(Self.batch(-1, size: size))  // script load, connections

        for concurrency in [1, 2] {
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lane in 0..<concurrency {
                        group.addTask {
                            for index in stride(from: lane, to: prepared.count, by: concurrency) {
                                let batch = try await store.update(prepared[index])
                                guard !batch.isSkipped else {
                                    throw TestFailure("Redis unreachable during the benchmark")
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let events = Double(prepared.count * size)
            print(
                "visitor_profile batches_in_flight=\(concurrency) batch=\(size) events=\(Int(events)) seconds=\(String(format: "%.3f", seconds)) events_per_s=\(Int(events / seconds)) ms_per_batch=\(String(format: "%.2f", seconds * 1000 / Double(prepared.count)))"
            )
            // The second run sees every event id again: clear the keys so both runs do the same work.
            try await VisitorProfileTesting.removeKeys(prefix: configuration.keyPrefix, redis: redis)
        }
        let memory = try await VisitorProfileTesting.info("memory", redis: redis)
        print("visitor_profile redis_used_memory_mb=\((memory["used_memory"] ?? 0) / 1_048_576)")
    }
}
