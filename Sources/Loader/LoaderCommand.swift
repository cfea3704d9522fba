import ArgumentParser
import Foundation
import Shared

/// The `loader` executable: `loader` (or `loader run`) loads; `loader migrate` only brings the schema
/// up to date; `loader report` prints the analytics for a time range.
struct LoaderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loader",
        abstract: "Loads enriched events from Kafka into ClickHouse in batches, committing offsets only after ClickHouse accepted them.",
        discussion: FreshetCommandLine.environmentHelp,
        version: FreshetVersion.current,
        subcommands: [LoaderRunCommand.self, LoaderMigrateCommand.self, LoaderReportCommand.self],
        defaultSubcommand: LoaderRunCommand.self
    )
}

/// Entry point: options may also come from `FRESHET_*` environment variables.
@main
enum LoaderMain {
    static func main() async {
        await LoaderCommand.main(
            FreshetCommandLine.arguments(for: LoaderCommand.self, environment: ProcessInfo.processInfo.environment))
    }
}
