import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// Faults with the real executable, Kafka and ClickHouse: ClickHouse dying mid-stream (a private
/// server, killed and restarted), the loader killed with SIGKILL mid-batch, and a replay of everything.
/// In every case each produced event is in the query results exactly once.
@Suite("Loader: no loss, no double count under faults", .serialized, .timeLimit(.minutes(5)))
struct LoaderFaultTests {
    static func lines(_ range: Range<Int>) -> [String] {
        range.map { LoaderFixtures.pageView($0).tsvLine() }
    }

    /// Distinct events, rows after deduplication, and what the analytics count.
    static func counts(_ world: LoaderWorld) async throws -> (unique: Int, final: Int, analyticsEvents: Int, analyticsPageViews: Int, physical: Int) {
        let db = world.database
        let unique = Int(try await world.scalar("SELECT uniqExact(event_id) FROM \(db).events") ?? "") ?? -1
        let final = Int(try await world.scalar("SELECT count() FROM \(db).events FINAL") ?? "") ?? -1
        let events = Int(try await world.scalar("SELECT uniqExactMerge(events) FROM \(db).analytics_traffic_hourly") ?? "") ?? -1
        let pageViews = Int(try await world.scalar("SELECT uniqExactIfMerge(page_views) FROM \(db).analytics_traffic_hourly") ?? "") ?? -1
        let physical = Int(try await world.scalar("SELECT count() FROM \(db).events") ?? "") ?? -1
        return (unique, final, events, pageViews, physical)
    }

    /// Both ways of sending rows: streamed (a failed insert is read again from Kafka) and buffered.
    static let modes = ["streamed", "buffered"]

    @Test(arguments: modes) func clickHouseStoppedMidStreamAndRestarted(mode: String) async throws {
        let server = try await ClickHouseServerProcess()
        let world = try await LoaderWorld(clickHouseURL: server.url)
        do {
            try await world.produce(Self.lines(0..<300))
            let loader = try world.startLoader(["--batch-rows", "100", "--insert-mode", mode])
            #expect(try await world.waitFor("SELECT count() FROM \(world.database).events", toBe: 300, loader: loader) == 300)

            await server.stop()
            try await world.produce(Self.lines(300..<900))
            // The loader meets the outage and keeps retrying (consumption paused, nothing committed);
            // streamed, it first reads the failed batch again from Kafka and retries it buffered.
            if mode == "streamed" { _ = try loader.waitForLine(containing: "streamed insert failed; reading its records again") }
            _ = try loader.waitForLine(containing: "ClickHouse insert failed; retrying")
            let committedDuringOutage = try await world.committedTotal()
            #expect(committedDuringOutage <= 300, "nothing is committed while ClickHouse is down")

            try await server.start()
            #expect(try await world.waitFor("SELECT uniqExact(event_id) FROM \(world.database).events", toBe: 900, timeout: .seconds(90), loader: loader) == 900)
            #expect(try await world.waitForCommitted(900) == 900)
            let counts = try await Self.counts(world)
            #expect(counts.unique == 900 && counts.final == 900, "no loss, no duplicate after deduplication: \(counts)")
            #expect(counts.analyticsEvents == 900 && counts.analyticsPageViews == 900, "the analytics count each event once: \(counts)")
            #expect(loader.stop(signal: SIGTERM) == 0)
        } catch {
            await world.tearDown()
            throw error
        }
        await world.tearDown()
    }

    @Test(arguments: modes) func loaderKilledMidBatchThenEverythingReplayed(mode: String) async throws {
        let world = try await LoaderWorld()
        let total = 20_000
        do {
            try await world.produce(Self.lines(0..<total))
            let first = try world.startLoader(["--batch-rows", "100", "--insert-mode", mode])
            let loadedBeforeKill = try await world.waitFor("SELECT least(count(), 1) FROM \(world.database).events", toBe: 1, loader: first)
            #expect(loadedBeforeKill == 1)
            first.stop(signal: SIGKILL)  // mid-stream: batches filling, inserted but not committed, in flight
            let physicalAtKill = Int(try await world.scalar("SELECT count() FROM \(world.database).events") ?? "") ?? 0
            #expect(physicalAtKill < total, "the loader was killed before it finished (\(physicalAtKill) of \(total) rows)")

            let second = try world.startLoader(["--batch-rows", "500", "--insert-mode", mode])
            #expect(try await world.waitFor("SELECT uniqExact(event_id) FROM \(world.database).events", toBe: total, loader: second) == total)
            #expect(try await world.waitForCommitted(Int64(total)) == Int64(total))
            var counts = try await Self.counts(world)
            #expect(counts.unique == total && counts.final == total, "\(counts)")
            #expect(counts.analyticsEvents == total && counts.analyticsPageViews == total, "\(counts)")
            #expect(second.stop(signal: SIGTERM) == 0)

            // A full replay (a new consumer group reads everything again) changes no query result.
            let replayGroup = world.group + "_replay"
            let replay = try world.startLoader(["--batch-rows", "2000", "--insert-mode", mode], group: replayGroup)
            #expect(try await world.waitForCommitted(Int64(total), group: replayGroup) == Int64(total))
            counts = try await Self.counts(world)
            #expect(counts.physical >= 2 * total || counts.final == total, "the replay was loaded: \(counts)")
            #expect(counts.unique == total && counts.final == total, "\(counts)")
            #expect(counts.analyticsEvents == total && counts.analyticsPageViews == total, "\(counts)")
            #expect(replay.stop(signal: SIGTERM) == 0)
        } catch {
            await world.tearDown()
            throw error
        }
        await world.tearDown()
    }
}
