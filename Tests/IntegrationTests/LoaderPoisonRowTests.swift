import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// Rows that cannot be loaded go to the `bad` topic (and from there into `bad_rows`) while every other
/// row loads: a line that is not enriched TSV, an event without a UUID `event_id` (refused by the
/// loader), and an event ClickHouse itself refuses (a `throwIf` rule on the table, standing for any
/// server-side constraint), isolated by bisecting its batch.
@Suite("Loader: poison rows", .serialized, .timeLimit(.minutes(3)))
struct LoaderPoisonRowTests {
    /// Streamed, the refused insert is read again from Kafka and bisected buffered.
    @Test(arguments: ["streamed", "buffered"]) func poisonRowsGoToBadWhileTheRestLoads(mode: String) async throws {
        let world = try await LoaderWorld(partitions: 1)
        do {
            try world.migrate()
            try await world.client.execute(
                "ALTER TABLE \(world.database).events ADD COLUMN poison_guard UInt8 MATERIALIZED throwIf(app_id = 'poison')")
            var lines = (0..<40).map { LoaderFixtures.pageView($0).tsvLine() }
            var poison = LoaderFixtures.pageView(13, app: "poison")
            poison.eventId = "99999999-0000-4000-8000-000000000013"
            lines[13] = poison.tsvLine()
            var noID = LoaderFixtures.pageView(100)
            noID.eventId = "not-a-uuid"
            lines.append(noID.tsvLine())
            lines.append("this is not an enriched event")
            try await world.produce(lines)

            let loader = try world.startLoader(["--batch-rows", "1000", "--insert-mode", mode])
            let db = world.database
            // Distinct rows: a broker stall under load can end the consumer's session and redeliver the
            // batch (at least once); the redelivered lines make their bad rows again, with new offsets on
            // the bad topic, so `bad_rows` may hold a poison line twice and `events` a row twice before
            // its merge. What must hold is that each line lands where it belongs.
            #expect(try await world.waitFor("SELECT count() FROM (SELECT DISTINCT type, raw FROM \(db).bad_rows)", toBe: 3, loader: loader) == 3)
            #expect(try await world.waitFor("SELECT uniqExact(event_id) FROM \(db).events", toBe: 39, loader: loader) == 39)
            #expect(try await world.scalar("SELECT countIf(app_id = 'poison') FROM \(db).events") == "0")
            #expect(try await world.waitForCommitted(Int64(lines.count)) == Int64(lines.count))

            let bad = try await world.client.query(
                "SELECT DISTINCT type, message, raw FROM \(db).bad_rows ORDER BY type, message FORMAT TabSeparated"
            ).tabSeparatedRows()
            #expect(bad.map { $0[0] } == ["loader_parsing_error", "loader_parsing_error", "loader_runtime_error"])
            try #require(bad.count == 3, "the loader's log: \(loader.log)")
            #expect(bad[0][1] == "FieldNumberMismatch (1 fields)")
            #expect(bad[1][1]?.contains("event_id") == true && bad[1][1]?.contains("not-a-uuid") == true)
            #expect(bad[2][1]?.contains("throwIf") == true, "ClickHouse's own message: \(bad[2][1] ?? "")")
            #expect(bad[2][2]?.contains("99999999-0000-4000-8000-000000000013") == true, "the rejected line is kept whole")
            #expect(loader.log.contains("loader.insert_mode=\(mode)"))
            if mode == "streamed" { #expect(loader.log.contains("streamed insert failed; reading its records again"), "\(loader.log)") }

            // /ready and /metrics.
            let admin = try loader.adminPort()
            let ready = try ChildProcess.run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(admin)/ready"]).stdoutText
            #expect(ready.hasSuffix("200") && ready.contains("kafka: ok") && ready.contains("clickhouse: ok"), "\(ready)")
            let metrics = try ChildProcess.run("/usr/bin/curl", ["-s", "http://127.0.0.1:\(admin)/metrics"]).stdoutText
            // At least once: a redelivered batch counts its refused row again.
            let rejected = metrics.split(separator: "\n").first {
                $0.hasPrefix("freshet_records_failed_total{") && $0.contains(#"service="loader""#) && $0.contains(#"reason="rejected""#)
            }
            #expect(rejected.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 >= 1 } == true, "\(metrics)")
            #expect(metrics.contains("freshet_loader_batch_rows"))
            #expect(metrics.contains("freshet_processing_seconds"))
            #expect(loader.stop(signal: SIGTERM) == 0)
        } catch {
            await world.tearDown()
            throw error
        }
        await world.tearDown()
    }
}
