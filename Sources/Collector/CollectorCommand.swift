import ArgumentParser
import Foundation
import Shared

/// The `collector` executable: Snowplow-compatible tracking endpoint that appends every accepted request to local log files.
struct CollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "Snowplow-compatible tracking endpoint that appends every accepted request to local log files.",
        discussion: FreshetCommandLine.environmentHelp,
        version: FreshetVersion.current
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "collector", options: common)
        let admin = AdminServer(
            configuration: ServiceBootstrap.adminConfiguration(service: "collector", options: common),
            service: "collector", checks: [], logger: logger)
        try await ServiceRunner.run([admin], logger: logger)
    }
}

/// Entry point: options may also come from `FRESHET_*` environment variables.
@main
enum CollectorMain {
    static func main() async {
        await CollectorCommand.main(
            FreshetCommandLine.arguments(for: CollectorCommand.self, environment: ProcessInfo.processInfo.environment))
    }
}
