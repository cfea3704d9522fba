import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// The start-up check against the real old library: this test binary is launched again as a child
/// process WITHOUT our LD_LIBRARY_PATH override, so the loader picks Debian's librdkafka 2.0.2, and
/// the child runs only ``KafkaOldRuntimeChildTests``.
@Suite("librdkafka runtime check in a child process")
struct KafkaRuntimeProcessTests {
    static let childVariable = "FRESHET_KAFKA_OLD_RUNTIME_CHILD"

    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] == nil))
    func debianLibrdkafkaIsRefusedAtStart() throws {
        try #require(FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/librdkafka.so.1"))
        let testBinary = CommandLine.arguments[0]
        try #require(testBinary.hasSuffix(".xctest") && FileManager.default.isExecutableFile(atPath: testBinary))
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = nil
        environment[Self.childVariable] = "1"
        let output = try ChildProcess.run(
            testBinary, ["--testing-library", "swift-testing", "--filter", "KafkaOldRuntimeChildTests"],
            environment: environment
        )
        let text = output.stdoutText + output.stderrText
        #expect(output.status == 0, "\(text)")
        #expect(text.contains("loadedOldRuntimeIsRefused() passed"), "\(text)")
    }
}

/// Runs only inside the child process started by ``KafkaRuntimeProcessTests``.
@Suite(.enabled(if: ProcessInfo.processInfo.environment[KafkaRuntimeProcessTests.childVariable] == "1"))
struct KafkaOldRuntimeChildTests {
    @Test func loadedOldRuntimeIsRefused() throws {
        #expect(KafkaRuntime.version < KafkaRuntime.minimumVersion, "loaded: \(KafkaRuntime.versionString)")
        let error = try #require(throws: FreshetError.self) { try KafkaRuntime.requireSupportedVersion() }
        #expect(error.code == .kafkaRuntimeTooOld)
        #expect(error.message.contains(KafkaRuntime.version.description))
        #expect(error.message.contains("LD_LIBRARY_PATH"))
        #expect(error.message.contains("make stack-up"))
        // Clients refuse too, before touching the network.
        let producerError = try #require(throws: FreshetError.self) {
            try KafkaProducer(
                configuration: KafkaProducerConfiguration(bootstrapServers: ["127.0.0.1:1"]),
                logger: KafkaTestCluster.logger)
        }
        #expect(producerError.code == .kafkaRuntimeTooOld)
    }
}
