import ArgumentParser
import Testing

@testable import Shared

private struct Tool: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tool", subcommands: [Replay.self])
    @OptionGroup var common: CommonOptions
    @Option var kafkaBrokers: String = "127.0.0.1:9092"
    @Flag(inversion: .prefixedNo) var compress: Bool = true
    @Flag var verbose: Bool = false

    struct Replay: ParsableCommand {
        @Option var input: String
        @Option var batchSize: Int = 10
    }
}

private struct ToolWithDefault: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tool", subcommands: [Run.self, Report.self], defaultSubcommand: Run.self)
    struct Run: ParsableCommand {
        @Option var batchRows: Int = 1
    }
    struct Report: ParsableCommand {
        @Option var from: String = ""
    }
}

@Suite struct FreshetCommandLineTests {
    @Test func theDefaultSubcommandsOptionsComeFromTheEnvironment() throws {
        let arguments = FreshetCommandLine.arguments(for: ToolWithDefault.self, arguments: [], environment: ["FRESHET_BATCH_ROWS": "500", "FRESHET_FROM": "x"])
        let run = try #require(try ToolWithDefault.parseAsRoot(arguments) as? ToolWithDefault.Run)
        #expect(run.batchRows == 500)
        #expect(!arguments.contains("--from"))
    }

    @Test func environmentSuppliesOptionsTheCommandLineLacks() throws {
        let arguments = FreshetCommandLine.arguments(
            for: Tool.self, arguments: ["--log-level", "debug"],
            environment: [
                "FRESHET_KAFKA_BROKERS": "kafka:9092", "FRESHET_LOG_LEVEL": "error", "FRESHET_ADMIN_PORT": "9200",
                "FRESHET_UNRELATED": "x",
            ])
        let tool = try Tool.parse(arguments)
        #expect(tool.kafkaBrokers == "kafka:9092")
        #expect(tool.common.logLevel == "debug", "the command line wins over the environment")
        #expect(tool.common.adminPort == 9200)
        #expect(!arguments.contains("--unrelated"))
    }

    @Test func booleanFlagsFromTheEnvironment() throws {
        let on = try Tool.parse(FreshetCommandLine.arguments(
            for: Tool.self, arguments: [], environment: ["FRESHET_VERBOSE": "true", "FRESHET_COMPRESS": "false"]))
        #expect(on.verbose)
        #expect(!on.compress)
        let off = try Tool.parse(FreshetCommandLine.arguments(
            for: Tool.self, arguments: [], environment: ["FRESHET_VERBOSE": "0"]))
        #expect(!off.verbose)
        #expect(off.compress)
    }

    @Test func subcommandOptionsComeFromTheEnvironment() throws {
        let arguments = FreshetCommandLine.arguments(
            for: Tool.self, arguments: ["replay"],
            environment: ["FRESHET_INPUT": "/tmp/in.log", "FRESHET_BATCH_SIZE": "500", "FRESHET_KAFKA_BROKERS": "k:1"])
        let parsed = try Tool.parseAsRoot(arguments)
        let replay = try #require(parsed as? Tool.Replay)
        #expect(replay.input == "/tmp/in.log")
        #expect(replay.batchSize == 500)
        #expect(!arguments.contains("--kafka-brokers"), "options of the root do not leak into a subcommand")
    }

    @Test func variableNames() {
        #expect(FreshetCommandLine.variableName(for: "--kafka-brokers") == "FRESHET_KAFKA_BROKERS")
        #expect(FreshetCommandLine.variableName(for: "--admin-port") == "FRESHET_ADMIN_PORT")
    }

    @Test func invalidLogLevelIsRejectedWithTheAcceptedValues() {
        #expect(throws: (any Error).self) { try Tool.parse(["--log-level", "loud"]) }
        do {
            _ = try Tool.parse(["--log-level", "loud"])
        } catch {
            #expect(Tool.message(for: error).contains("trace, debug, info"))
        }
    }
}
