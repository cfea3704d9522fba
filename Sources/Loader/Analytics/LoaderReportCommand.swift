import ArgumentParser
import Foundation
import Shared

/// `loader report --from … --to …`: prints the analytics reports for a time range.
struct LoaderReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print page views, visitors, sessions, bounce rate, session length, top pages, referrers, campaigns, devices, browsers, operating systems and countries for a time range.",
        discussion: FreshetCommandLine.environmentHelp
    )

    @OptionGroup var clickhouse: ClickHouseOptions

    @Option(help: "Start of the range, UTC: yyyy-MM-dd or 'yyyy-MM-dd HH:mm:ss' (inclusive).") var from: String
    @Option(help: "End of the range, UTC: yyyy-MM-dd or 'yyyy-MM-dd HH:mm:ss' (exclusive).") var to: String
    @Option(help: "Only this app id.") var appId: String?
    @Option(help: "Rows per app in the top-n reports.") var limit = 10
    @Option(help: "Output: text (for people) or json.") var format: ReportFormat = .text

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() async throws {
        guard let from = Self.normalize(from), let to = Self.normalize(to), from < to else {
            throw ValidationError("--from and --to must be yyyy-MM-dd or 'yyyy-MM-dd HH:mm:ss' with --from before --to")
        }
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
        var configuration = clickhouse.configuration
        configuration.database = "system"
        let client = ClickHouseClient(configuration: configuration)
        let report = AnalyticsReport(database: clickhouse.clickhouseDatabase, from: from, to: to, appID: appId, limit: limit)
        let tables = try await report.run(client: client)
        switch format {
        case .text: print(ReportRendering.text(tables, from: from, to: to), terminator: "")
        case .json: print(ReportRendering.json(tables, from: from, to: to))
        }
    }

    /// `yyyy-MM-dd` → `yyyy-MM-dd 00:00:00`; a valid `yyyy-MM-dd HH:mm:ss` as it is; else `nil`.
    static func normalize(_ text: String) -> String? {
        let candidate = text.count == 10 ? text + " 00:00:00" : text
        guard SnowplowTimestamp(tsv: candidate + ".000") != nil, candidate.count == 19 else { return nil }
        return candidate
    }
}
