/// Every migration of the loader's schema, in order (docs/loader-schema.md, docs/analytics.md).
///
/// 1–2 create the `events` and `bad_rows` tables; 3–9 the analytics: one `AggregatingMergeTree` table
/// per report, each fed by a materialized view on `events`. The views only keep states that a
/// replayed row cannot inflate — distinct counts of `event_id`, visitors and sessions (`uniqExact`,
/// `uniq`), earliest and latest times (`min`, `max`) — so a batch loaded twice after a crash never
/// counts twice, even before `ReplacingMergeTree` merged the copies away.
enum SchemaMigrations {
    static let all: [SchemaMigration] = [
        SchemaMigration(version: 1, name: "create_events") { database, dialect in
            let columns = EventColumns.make(dialect: dialect).map { "    `\($0.name)` \($0.type)" }.joined(separator: ",\n")
            return [
                """
                CREATE TABLE IF NOT EXISTS \(database).events (
                \(columns)
                ) ENGINE = ReplacingMergeTree()
                PARTITION BY toYYYYMM(collector_tstamp)
                ORDER BY (app_id, toDate(collector_tstamp), event_id)\(dialect.mergeTreeSettings)
                """
            ]
        },
        SchemaMigration(version: 2, name: "create_bad_rows") { database, dialect in
            let columns = BadRowTableEncoder(dialect: dialect).columns().map { "    `\($0.name)` \($0.type)" }.joined(separator: ",\n")
            return [
                """
                CREATE TABLE IF NOT EXISTS \(database).bad_rows (
                \(columns)
                ) ENGINE = ReplacingMergeTree()
                PARTITION BY toYYYYMM(failure_tstamp)
                ORDER BY (type, toDate(failure_tstamp), kafka_topic, kafka_partition, kafka_offset)\(dialect.mergeTreeSettings)
                """
            ]
        },
        analytics(
            version: 3, table: "analytics_traffic_hourly", period: .hour, dimensions: [],
            measures: [.events, .pageViews, .visitors, .sessions], filter: nil),
        analytics(
            version: 4, table: "analytics_pages_daily", period: .day,
            dimensions: [("page_urlhost", "page_urlhost", "String"), ("page_urlpath", "page_urlpath", "String")],
            measures: [.pageViews, .visitors], filter: "event = 'page_view'"),
        analytics(
            version: 5, table: "analytics_referrers_daily", period: .day,
            dimensions: [("refr_medium", "refr_medium", "String"), ("refr_source", "refr_source", "String")],
            measures: [.pageViews, .visitors, .sessions], filter: "event = 'page_view'"),
        analytics(
            version: 6, table: "analytics_campaigns_daily", period: .day,
            dimensions: [
                ("mkt_source", "mkt_source", "String"), ("mkt_medium", "mkt_medium", "String"),
                ("mkt_campaign", "mkt_campaign", "String"),
            ],
            measures: [.pageViews, .visitors, .sessions],
            filter: "event = 'page_view' AND (mkt_source != '' OR mkt_medium != '' OR mkt_campaign != '')"),
        analytics(
            version: 7, table: "analytics_technology_daily", period: .day,
            dimensions: [
                ("device", "if(ua_device_family != '', toString(ua_device_family), toString(dvce_type))", "String"),
                ("browser", "if(ua_family != '', toString(ua_family), toString(br_family))", "String"),
                ("os", "if(ua_os_family != '', toString(ua_os_family), toString(os_family))", "String"),
            ],
            measures: [.pageViews, .visitors], filter: "event = 'page_view'"),
        analytics(
            version: 8, table: "analytics_countries_daily", period: .day,
            dimensions: [("geo_country", "geo_country", "String")],
            measures: [.pageViews, .visitors], filter: "event = 'page_view'"),
        SchemaMigration(version: 9, name: "analytics_sessions") { database, dialect in
            [
                """
                CREATE TABLE IF NOT EXISTS \(database).analytics_sessions (
                    app_id \(dialect.lowCardinalityString),
                    day Date,
                    session_id String,
                    visitor_id AggregateFunction(any, String),
                    started AggregateFunction(min, DateTime('UTC')),
                    ended AggregateFunction(max, DateTime('UTC')),
                    events AggregateFunction(uniqExact, UUID),
                    page_views AggregateFunction(uniqExactIf, UUID, UInt8)
                ) ENGINE = AggregatingMergeTree()
                PARTITION BY toYYYYMM(day)
                ORDER BY (app_id, day, session_id)
                """,
                """
                CREATE MATERIALIZED VIEW IF NOT EXISTS \(database).analytics_sessions_mv TO \(database).analytics_sessions AS
                SELECT
                    app_id,
                    toDate(\(AnalyticsExpressions.eventTime)) AS day,
                    \(AnalyticsExpressions.session) AS session_id,
                    anyState(\(AnalyticsExpressions.visitor)) AS visitor_id,
                    minState(\(AnalyticsExpressions.eventTime)) AS started,
                    maxState(\(AnalyticsExpressions.eventTime)) AS ended,
                    uniqExactState(event_id) AS events,
                    uniqExactIfState(event_id, event = 'page_view') AS page_views
                FROM \(database).events
                WHERE session_id != ''
                GROUP BY app_id, day, session_id
                """,
            ]
        },
    ]

    /// The period an analytics table aggregates over.
    enum Period {
        case hour, day
        var column: String { self == .hour ? "hour DateTime('UTC')" : "day Date" }
        var name: String { self == .hour ? "hour" : "day" }
        var expression: String {
            self == .hour ? "toStartOfHour(\(AnalyticsExpressions.eventTime))" : "toDate(\(AnalyticsExpressions.eventTime))"
        }
    }

    /// A measure of an analytics table: its column, state type and the `-State` expression feeding it.
    enum Measure {
        case events, pageViews, visitors, sessions
        var column: String {
            switch self {
            case .events: "events AggregateFunction(uniqExact, UUID)"
            case .pageViews: "page_views AggregateFunction(uniqExactIf, UUID, UInt8)"
            case .visitors: "visitors AggregateFunction(uniqIf, String, UInt8)"
            case .sessions: "sessions AggregateFunction(uniqIf, String, UInt8)"
            }
        }
        var state: String {
            switch self {
            case .events: "uniqExactState(event_id) AS events"
            case .pageViews: "uniqExactIfState(event_id, event = 'page_view') AS page_views"
            case .visitors: "uniqIfState(\(AnalyticsExpressions.visitor), \(AnalyticsExpressions.visitor) != '') AS visitors"
            case .sessions: "uniqIfState(\(AnalyticsExpressions.session), \(AnalyticsExpressions.session) != '') AS sessions"
            }
        }
    }

    /// An analytics table keyed by app, period and `dimensions` (name, expression over `events`,
    /// type), with its materialized view.
    static func analytics(
        version: Int, table: String, period: Period, dimensions: [(String, String, String)], measures: [Measure],
        filter: String?
    ) -> SchemaMigration {
        SchemaMigration(version: version, name: table) { database, dialect in
            let dimensionColumns = dimensions.map { "    \($0.0) \($0.2)," }.joined(separator: "\n")
            let key = (["app_id", period.name] + dimensions.map(\.0)).joined(separator: ", ")
            let selects = dimensions.map { "    \($0.1) AS \($0.0)," }.joined(separator: "\n")
            return [
                """
                CREATE TABLE IF NOT EXISTS \(database).\(table) (
                    app_id \(dialect.lowCardinalityString),
                    \(period.column),
                \(dimensionColumns)
                    \(measures.map(\.column).joined(separator: ",\n    "))
                ) ENGINE = AggregatingMergeTree()
                PARTITION BY toYYYYMM(\(period.name))
                ORDER BY (\(key))
                """,
                """
                CREATE MATERIALIZED VIEW IF NOT EXISTS \(database).\(table)_mv TO \(database).\(table) AS
                SELECT
                    app_id,
                    \(period.expression) AS \(period.name),
                \(selects)
                    \(measures.map(\.state).joined(separator: ",\n    "))
                FROM \(database).events
                \(filter.map { "WHERE \($0)" } ?? "")
                GROUP BY \(key)
                """,
            ]
        }
    }
}

/// The expressions over `events` the analytics share (SQL that works on 18.16 and current servers).
enum AnalyticsExpressions {
    /// When the event happened, in whole seconds: `derived_tstamp`, else `collector_tstamp`.
    static let eventTime = "toDateTime(ifNull(derived_tstamp, collector_tstamp))"
    /// The visitor: `domain_userid`, else `network_userid`.
    static let visitor = "if(domain_userid != '', domain_userid, network_userid)"
    /// The session: the enricher's server-side session (`visitor_session_id`), else the tracker's
    /// `domain_sessionid`.
    static let session = "if(visitor_session_id != '', visitor_session_id, domain_sessionid)"
}
