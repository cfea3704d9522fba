import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FreshetTestSupport
import Testing

@testable import Enricher
@testable import Shared

/// Throughput of the enricher's visitor profile stage (``RedisVisitorProfileStage``: inputs from enriched
/// events, ``VisitorProfileStore/update(_:)``, contexts appended to `derived_contexts`) in batches of
/// 1000 events against the local Redis.
/// Not a test (speed belongs in benchmarks): runs only under `bench/visitor-profile.sh`, which sets
/// `FRESHET_BENCH_VISITOR_PROFILE` to the number of batches, and prints `visitor_profile …` lines.
/// CPU per event: this process (`getrusage`, all threads) and Redis (its main thread's CPU from
/// `INFO cpu`; also the `EVALSHA` time from `INFO commandstats`, which a busy machine inflates).
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

    /// A typical `derived_contexts` the visitor context is appended to (the UA parser's entity).
    static let otherContexts =
        #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[{"schema":"iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0","data":{"useragentFamily":"Chrome","useragentMajor":"120","osFamily":"Mac OS X","deviceFamily":"Mac"}}]}"#

    /// An enriched event carrying `input` (and the other columns a typical page view has, so copying an
    /// event costs what it does in the enricher), its `derived_contexts` holding ``otherContexts``.
    static func event(_ input: VisitorProfileInput) -> EnrichedEvent {
        var event = EnrichedEvent()
        event.appId = "shop"
        event.platform = "web"
        event.eventId = input.eventId
        event.domainUserid = input.domainUserid
        event.networkUserid = input.networkUserid
        event.derivedTstamp = input.timestamp
        event.collectorTstamp = input.timestamp
        event.event = input.isPageView ? "page_view" : "page_ping"
        event.pageUrl = "https://shop.example.com/products/42?ref=home"
        event.pageUrlhost = "shop.example.com"
        event.useragent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
        event.refrMedium = input.attribution.refererMedium
        event.refrSource = input.attribution.refererSource
        event.refrTerm = input.attribution.refererTerm
        event.refrUrlhost = input.attribution.refererHost
        event.mktMedium = input.attribution.marketingMedium
        event.mktSource = input.attribution.marketingSource
        event.mktTerm = input.attribution.marketingTerm
        event.mktContent = input.attribution.marketingContent
        event.mktCampaign = input.attribution.marketingCampaign
        event.mktClickid = input.attribution.marketingClickId
        event.mktNetwork = input.attribution.marketingNetwork
        event.derivedContexts = otherContexts
        return event
    }

    /// User + system CPU time of this process so far, in µs.
    static func processCPUMicroseconds() -> Int64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
            + Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    }

    /// Total µs Redis spent in `EVALSHA` (the script, its inner commands included; wall time inside Redis).
    static func scriptMicroseconds(_ redis: RedisClient) async throws -> Int64 {
        Int64(try await VisitorProfileTesting.info("commandstats", redis: redis)["cmdstat_evalsha.usec"] ?? 0)
    }

    /// CPU µs of Redis' main thread (`used_cpu_user_main_thread` + `used_cpu_sys_main_thread`): unlike the
    /// `EVALSHA` time it does not grow when a busy machine deschedules Redis. Read right before and after
    /// a run, so it covers the run's scripts (plus the two `INFO` calls).
    static func redisMainThreadCPUMicroseconds(_ redis: RedisClient) async throws -> Double {
        let text = try await redis.command("INFO", "cpu").string ?? ""
        var total = 0.0
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0] == "used_cpu_user_main_thread" || parts[0] == "used_cpu_sys_main_thread",
                let seconds = Double(parts[1])
            else { continue }
            total += seconds * 1_000_000
        }
        return total
    }

    @Test(.enabled(if: batches > 0)) func eventsPerSecondThroughUpdate() async throws {
        let configuration = VisitorProfileTesting.configuration("bench")
        let redis = VisitorProfileTesting.sharedRedis(poolSize: 4)
        let store = try VisitorProfileStore(redis: redis, configuration: configuration)
        let stage = RedisVisitorProfileStage(store: store, readinessCheck: nil)
        let size = 1000
        let prepared = (0..<Self.batches).map { Self.batch($0, size: size).map(Self.event) }
        let sources = (0..<Self.batches).map { round in (0..<size).map { "0:\(round * size + $0)" } }
        _ = try await store.update(Self.batch(-1, size: size))  // script load, connections

        for concurrency in [1, 2] {
            let redisBefore = try await Self.scriptMicroseconds(redis)
            let redisCPUBefore = try await Self.redisMainThreadCPUMicroseconds(redis)
            let cpuBefore = Self.processCPUMicroseconds()
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lane in 0..<concurrency {
                        group.addTask {
                            for index in stride(from: lane, to: prepared.count, by: concurrency) {
                                var events = prepared[index]
                                let result = try await stage.process(&events, sources: sources[index], order: .unordered)
                                // Cheap check (a substring search here would cost more than the stage's append).
                                guard events.count == size - result.dropped,
                                    events.allSatisfy({ ($0.derivedContexts?.utf8.count ?? 0) > Self.otherContexts.utf8.count })
                                else { throw TestFailure("a batch came back without visitor contexts") }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let events = Double(prepared.count * size)
            let cpu = Double(Self.processCPUMicroseconds() - cpuBefore) / events
            let redisCPU = (try await Self.redisMainThreadCPUMicroseconds(redis) - redisCPUBefore) / events
            let script = Double(try await Self.scriptMicroseconds(redis) - redisBefore) / events
            print(
                "visitor_profile_cpu batches_in_flight=\(concurrency) process_cpu_us_per_event=\(String(format: "%.2f", cpu)) redis_cpu_us_per_event=\(String(format: "%.2f", redisCPU)) redis_script_us_per_event=\(String(format: "%.2f", script))"
            )
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
