import ArgumentParser
import Foundation
import Shared

#if canImport(Glibc)
import Glibc
#endif

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

/// Batch buffers are tens of MB: glibc's adaptive mmap threshold would move them into long-lived heap
/// arenas (one per thread) after the first free, where freed batches keep counting as resident memory.
/// Fix the threshold at 8 MiB — batch buffers (recycled, ``BatchBufferPool``) get their own mapping,
/// while librdkafka's decompression buffers of a few MB stay in the heap and are reused (at 1 MiB each
/// one was mapped afresh: ~200 000 page faults and ~3 µs of CPU per loaded row) — and use two arenas.
/// `mallopt` is not in Swift's Glibc module, so it is looked up by name.
private func tuneMalloc() {
    #if canImport(Glibc)
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    _ = mallopt(-3, 8 << 20)  // M_MMAP_THRESHOLD
    _ = mallopt(-8, 2)  // M_ARENA_MAX
    #endif
}

/// Entry point: options may also come from `FRESHET_*` environment variables.
@main
enum LoaderMain {
    static func main() async {
        tuneMalloc()
        let arguments = Array(CommandLine.arguments.dropFirst())
        let environment = ProcessInfo.processInfo.environment
        // Without a subcommand name the options belong to `run`, the default: map FRESHET_* for it.
        let named = arguments.first.map { first in LoaderCommand.configuration.subcommands.contains { $0._commandName == first } } ?? false
        await LoaderCommand.main(
            named
                ? FreshetCommandLine.arguments(for: LoaderCommand.self, arguments: arguments, environment: environment)
                : FreshetCommandLine.arguments(for: LoaderRunCommand.self, arguments: arguments, environment: environment))
    }
}
