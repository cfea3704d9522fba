import Foundation
import Shared

/// The reports `loader report` prints, read from the analytics tables (never from raw `events`, so a
/// row loaded twice is never counted twice):
///
/// - `summary` and `traffic_daily` / `traffic_hourly`: page views, visitors, sessions, events per app;
/// - `sessions`: sessions with a page view, bounces (exactly one page view), bounce rate and average
///   session length (seconds from first to last event), for sessions that started in the range;
/// - `top_pages`, `referrers`, `campaigns`, `devices`, `browsers`, `operating_systems`, `countries`:
///   page views, visitors (and sessions where meaningful) per value, top ``limit`` per app.
///
/// Hourly reports cover `[from, to)`; daily tables cover the whole UTC days from `from`'s day to the
/// day of the last second before `to`. The SQL works on ClickHouse 18.16 and current releases
/// (docs/analytics.md shows each query).
struct AnalyticsReport: Sendable {
    /// One report: its name, column names (dimensions first, then measures) and rows.
    struct Table: Sendable, Equatable {
        var name: String
        var dimensions: [String]
        var measures: [String]
        var rows: [[String]]
    }

    let database: String
    /// `yyyy-MM-dd HH:mm:ss` UTC.
    let from: String
    let to: String
    /// Only this app, when given.
    let appID: String?
    /// Rows per app in the top-n reports.
    let limit: Int

    /// The reports' SQL, in print order.
    var queries: [(name: String, dimensions: [String], measures: [String], sql: String)] {
        let f = "toDateTime('\(from)', 'UTC')"
        let t = "toDateTime('\(to)', 'UTC')"
        let app = appID.map { " AND app_id = '\(Self.escape($0))'" } ?? ""
        let hours = "hour >= \(f) AND hour < \(t)\(app)"
        let days = "day >= toDate(\(f)) AND day <= toDate(\(t) - 1)\(app)"
        let traffic = "uniqExactIfMerge(page_views) AS page_views, uniqIfMerge(visitors) AS visitors, uniqIfMerge(sessions) AS sessions, uniqExactMerge(events) AS events"
        func top(_ table: String, _ dimensions: [String], _ measures: String, _ order: String) -> String {
            let keys = (["app_id"] + dimensions).joined(separator: ", ")
            return "SELECT \(keys), \(measures) FROM \(database).\(table) WHERE \(days) GROUP BY \(keys) ORDER BY app_id, \(order) DESC, \(dimensions.joined(separator: ", ")) LIMIT \(limit) BY app_id"
        }
        let viewsAndVisitors = "uniqExactIfMerge(page_views) AS page_views, uniqIfMerge(visitors) AS visitors"
        let withSessions = viewsAndVisitors + ", uniqIfMerge(sessions) AS sessions"
        return [
            ("summary", ["app_id"], ["page_views", "visitors", "sessions", "events"],
             "SELECT app_id, \(traffic) FROM \(database).analytics_traffic_hourly WHERE \(hours) GROUP BY app_id ORDER BY app_id"),
            ("sessions", ["app_id"], ["sessions", "bounces", "bounce_rate", "avg_session_seconds"],
             """
             SELECT app_id, count() AS sessions, countIf(views = 1) AS bounces, round(countIf(views = 1) / count(), 4) AS bounce_rate,
                 round(avg(session_seconds), 1) AS avg_session_seconds
             FROM (
                 SELECT app_id, session_id, minMerge(started) AS first_seen, maxMerge(ended) AS last_seen,
                     uniqExactIfMerge(page_views) AS views, toUInt32(last_seen) - toUInt32(first_seen) AS session_seconds
                 FROM \(database).analytics_sessions
                 WHERE day >= toDate(\(f)) - 1\(app)
                 GROUP BY app_id, session_id
                 HAVING first_seen >= \(f) AND first_seen < \(t) AND views > 0
             )
             GROUP BY app_id ORDER BY app_id
             """),
            ("traffic_daily", ["app_id", "day"], ["page_views", "visitors", "sessions", "events"],
             "SELECT app_id, toDate(hour) AS day, \(traffic) FROM \(database).analytics_traffic_hourly WHERE \(hours) GROUP BY app_id, day ORDER BY app_id, day"),
            ("traffic_hourly", ["app_id", "hour"], ["page_views", "visitors", "sessions", "events"],
             "SELECT app_id, hour, \(traffic) FROM \(database).analytics_traffic_hourly WHERE \(hours) GROUP BY app_id, hour ORDER BY app_id, hour"),
            ("top_pages", ["app_id", "page_urlhost", "page_urlpath"], ["page_views", "visitors"],
             top("analytics_pages_daily", ["page_urlhost", "page_urlpath"], viewsAndVisitors, "page_views")),
            ("referrers", ["app_id", "refr_medium", "refr_source"], ["page_views", "visitors", "sessions"],
             top("analytics_referrers_daily", ["refr_medium", "refr_source"], withSessions, "sessions")),
            ("campaigns", ["app_id", "mkt_source", "mkt_medium", "mkt_campaign"], ["page_views", "visitors", "sessions"],
             top("analytics_campaigns_daily", ["mkt_source", "mkt_medium", "mkt_campaign"], withSessions, "sessions")),
            ("devices", ["app_id", "device"], ["page_views", "visitors"], top("analytics_technology_daily", ["device"], viewsAndVisitors, "visitors")),
            ("browsers", ["app_id", "browser"], ["page_views", "visitors"], top("analytics_technology_daily", ["browser"], viewsAndVisitors, "visitors")),
            ("operating_systems", ["app_id", "os"], ["page_views", "visitors"], top("analytics_technology_daily", ["os"], viewsAndVisitors, "visitors")),
            ("countries", ["app_id", "geo_country"], ["page_views", "visitors"], top("analytics_countries_daily", ["geo_country"], viewsAndVisitors, "visitors")),
        ]
    }

    /// Runs every report.
    func run(client: ClickHouseClient) async throws -> [Table] {
        var tables: [Table] = []
        for query in queries {
            let rows = try await client.query(query.sql).tabSeparatedRows().map { $0.map { $0 ?? "" } }
            tables.append(Table(name: query.name, dimensions: query.dimensions, measures: query.measures, rows: rows))
        }
        return tables
    }

    /// `text` with `\` and `'` escaped for a single-quoted ClickHouse string.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }
}
