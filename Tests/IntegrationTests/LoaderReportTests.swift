import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// `loader report` on a hand-built day of traffic whose numbers are worked out below, including one
/// event delivered twice (counted once).
///
/// Visitor A: session S1 on 04-01 — page views `/home` 10:00:00 (from Google search) and `/pricing`
/// 10:02:30 (internal), a page ping at 10:03:00; session S2 — one page view `/home` at 14:00:00
/// (direct). Firefox / Ubuntu / Other, DE.
/// Visitor B: session S3 on 04-01 — `/home` 10:30:00 (from Gmail, campaign newsletter/email/spring),
/// `/docs` 10:31:00 and 10:35:00 (internal). Chrome / Windows / Other, US.
/// Visitor C: session `srv-4` (the enricher's server-side session from the visitor entity) on 04-02 —
/// `/pricing` 09:00:00 (from Twitter), a structured event at 09:00:10. Mobile Safari / iOS / iPhone, FR.
///
/// So: 7 page views, 3 visitors, 4 sessions, 9 events; bounces S2 and S4 → 0.5; session lengths
/// 180, 0, 300, 10 s → average 122.5 s.
@Suite("Loader: reports", .serialized, .timeLimit(.minutes(3)))
struct LoaderReportTests {
    struct Hit {
        var id: Int, visitor: String, session: String, time: String, event = "page_view", path = ""
        var medium = "", source = "", campaign: (String, String, String)? = nil
        var browser = "", os = "", device = "", country = "", serverSession: String? = nil
    }

    static let hits: [Hit] = {
        let a = (browser: "Firefox", os: "Ubuntu", device: "Other", country: "DE")
        let b = (browser: "Chrome", os: "Windows", device: "Other", country: "US")
        let c = (browser: "Mobile Safari", os: "iOS", device: "iPhone", country: "FR")
        return [
            Hit(id: 1, visitor: "A", session: "S1", time: "2025-04-01 10:00:00.000", path: "/home", medium: "search", source: "Google", browser: a.browser, os: a.os, device: a.device, country: a.country),
            Hit(id: 2, visitor: "A", session: "S1", time: "2025-04-01 10:02:30.000", path: "/pricing", medium: "internal", browser: a.browser, os: a.os, device: a.device, country: a.country),
            Hit(id: 3, visitor: "A", session: "S1", time: "2025-04-01 10:03:00.000", event: "page_ping", path: "/pricing", medium: "internal", browser: a.browser, os: a.os, device: a.device, country: a.country),
            Hit(id: 4, visitor: "A", session: "S2", time: "2025-04-01 14:00:00.000", path: "/home", browser: a.browser, os: a.os, device: a.device, country: a.country),
            Hit(id: 5, visitor: "B", session: "S3", time: "2025-04-01 10:30:00.000", path: "/home", medium: "email", source: "Gmail", campaign: ("newsletter", "email", "spring"), browser: b.browser, os: b.os, device: b.device, country: b.country),
            Hit(id: 6, visitor: "B", session: "S3", time: "2025-04-01 10:31:00.000", path: "/docs", medium: "internal", browser: b.browser, os: b.os, device: b.device, country: b.country),
            Hit(id: 7, visitor: "B", session: "S3", time: "2025-04-01 10:35:00.000", path: "/docs", medium: "internal", browser: b.browser, os: b.os, device: b.device, country: b.country),
            Hit(id: 8, visitor: "C", session: "S4", time: "2025-04-02 09:00:00.000", path: "/pricing", medium: "social", source: "Twitter", browser: c.browser, os: c.os, device: c.device, country: c.country, serverSession: "srv-4"),
            Hit(id: 9, visitor: "C", session: "S4", time: "2025-04-02 09:00:10.000", event: "struct", path: "/pricing", browser: c.browser, os: c.os, device: c.device, country: c.country, serverSession: "srv-4"),
        ]
    }()

    static func event(_ hit: Hit) -> EnrichedEvent {
        var event = EnrichedEvent()
        event.appId = "fixture"
        event.platform = "web"
        event.event = hit.event
        event.eventId = LoaderFixtures.uuid(hit.id)
        event.collectorTstamp = SnowplowTimestamp(tsv: hit.time)
        event.derivedTstamp = SnowplowTimestamp(tsv: hit.time)
        event.domainUserid = hit.visitor
        event.domainSessionid = hit.session
        event.pageUrlhost = "www.example.com"
        event.pageUrlpath = hit.path
        event.refrMedium = hit.medium.isEmpty ? nil : hit.medium
        event.refrSource = hit.source.isEmpty ? nil : hit.source
        if let campaign = hit.campaign {
            (event.mktSource, event.mktMedium, event.mktCampaign) = campaign
        }
        event.geoCountry = hit.country
        var entities = [#"{"schema":"iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0","data":{"useragentFamily":"\#(hit.browser)","osFamily":"\#(hit.os)","deviceFamily":"\#(hit.device)"}}"#]
        if let session = hit.serverSession {
            entities.append(#"{"schema":"iglu:io.freshet/visitor/jsonschema/1-0-0","data":{"visitorId":"\#(hit.visitor)","sessionId":"\#(session)"}}"#)
        }
        event.derivedContexts = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[\#(entities.joined(separator: ","))]}"#
        return event
    }

    @Test func reportsTheHandComputedNumbers() async throws {
        let world = try await LoaderWorld(partitions: 1)
        do {
            var lines = Self.hits.map { Self.event($0).tsvLine() }
            lines.append(lines[0])  // delivered twice
            try await world.produce(lines)
            let loader = try world.startLoader()
            #expect(try await world.waitForCommitted(Int64(lines.count)) == Int64(lines.count))
            #expect(loader.stop(signal: SIGTERM) == 0)

            let output = try ChildProcess.run(
                RunningService.binary("loader"),
                ["report", "--clickhouse-url", world.clickHouseURL, "--clickhouse-database", world.database, "--from", "2025-04-01", "--to", "2025-04-03", "--app-id", "fixture", "--format", "json"])
            try #require(output.status == 0, "\(output.stderrText)")
            let document = try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any])
            let reports = try #require(document["reports"] as? [String: [[String: Any]]])
            func table(_ name: String, _ keys: [String]) -> [[String]] {
                (reports[name] ?? []).map { row in keys.map { key in row[key].map { "\($0)" } ?? "?" } }
            }

            #expect(table("summary", ["app_id", "page_views", "visitors", "sessions", "events"]) == [["fixture", "7", "3", "4", "9"]])
            #expect(table("sessions", ["sessions", "bounces", "bounce_rate", "avg_session_seconds"]) == [["4", "2", "0.5", "122.5"]])
            #expect(table("traffic_daily", ["day", "page_views", "visitors", "sessions", "events"]) == [
                ["2025-04-01", "6", "2", "3", "7"], ["2025-04-02", "1", "1", "1", "2"],
            ])
            #expect(table("traffic_hourly", ["hour", "page_views", "events"]) == [
                ["2025-04-01 10:00:00", "5", "6"], ["2025-04-01 14:00:00", "1", "1"], ["2025-04-02 09:00:00", "1", "2"],
            ])
            #expect(table("top_pages", ["page_urlpath", "page_views", "visitors"]) == [["/home", "3", "2"], ["/docs", "2", "1"], ["/pricing", "2", "2"]])
            #expect(table("referrers", ["refr_medium", "refr_source", "page_views", "visitors", "sessions"]) == [
                ["internal", "", "3", "2", "2"], ["", "", "1", "1", "1"], ["email", "Gmail", "1", "1", "1"],
                ["search", "Google", "1", "1", "1"], ["social", "Twitter", "1", "1", "1"],
            ])
            #expect(table("campaigns", ["mkt_source", "mkt_medium", "mkt_campaign", "page_views", "visitors", "sessions"]) == [["newsletter", "email", "spring", "1", "1", "1"]])
            #expect(table("devices", ["device", "page_views", "visitors"]) == [["Other", "6", "2"], ["iPhone", "1", "1"]])
            #expect(table("browsers", ["browser", "page_views", "visitors"]) == [["Chrome", "3", "1"], ["Firefox", "3", "1"], ["Mobile Safari", "1", "1"]])
            #expect(table("operating_systems", ["os", "page_views", "visitors"]) == [["Ubuntu", "3", "1"], ["Windows", "3", "1"], ["iOS", "1", "1"]])
            #expect(table("countries", ["geo_country", "page_views", "visitors"]) == [["DE", "3", "1"], ["FR", "1", "1"], ["US", "3", "1"]])

            let text = try ChildProcess.run(
                RunningService.binary("loader"),
                ["report", "--clickhouse-url", world.clickHouseURL, "--clickhouse-database", world.database, "--from", "2025-04-01", "--to", "2025-04-03"])
            #expect(text.status == 0)
            #expect(text.stdoutText.contains("== sessions =="))
        } catch {
            await world.tearDown()
            throw error
        }
        await world.tearDown()
    }
}
