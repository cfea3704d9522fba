import Testing

@testable import Shared

@Suite("librdkafka runtime version check")
struct KafkaRuntimeTests {
    @Test func decodesLibrdkafkaIntegerVersions() {
        #expect(KafkaRuntimeVersion(encoded: 0x0200_02FF) == KafkaRuntimeVersion(major: 2, minor: 0, patch: 2))
        #expect(KafkaRuntimeVersion(encoded: 0x0210_00FF) == KafkaRuntimeVersion(major: 2, minor: 16, patch: 0))
        #expect(KafkaRuntimeVersion(encoded: 0x0202_0000).description == "2.2.0")
    }

    @Test func parsesVersionText() {
        #expect(KafkaRuntimeVersion("2.16.0") == KafkaRuntimeVersion(major: 2, minor: 16, patch: 0))
        #expect(KafkaRuntimeVersion("2.3.0-RC1") == KafkaRuntimeVersion(major: 2, minor: 3, patch: 0))
        #expect(KafkaRuntimeVersion("2.2") == KafkaRuntimeVersion(major: 2, minor: 2, patch: 0))
        #expect(KafkaRuntimeVersion("garbage") == nil)
    }

    @Test func comparesNumericallyNotTextually() {
        #expect(KafkaRuntimeVersion("2.16.0")! > KafkaRuntimeVersion("2.2.0")!)
        #expect(KafkaRuntimeVersion("2.0.2")! < KafkaRuntimeVersion("2.2.0")!)
        #expect(KafkaRuntimeVersion("1.9.9")! < KafkaRuntimeVersion("2.0.0")!)
    }

    @Test func refusesOldRuntimeNamingTheFix() throws {
        let error = try #require(throws: FreshetError.self) {
            try KafkaRuntime.requireSupported(KafkaRuntimeVersion("2.0.2")!)
        }
        #expect(error.code == .kafkaRuntimeTooOld)
        #expect(!error.isRetriable)
        #expect(error.message.contains("2.0.2"))
        #expect(error.message.contains("2.2.0"))
        #expect(error.message.contains("LD_LIBRARY_PATH"))
        #expect(error.message.contains("make stack-up"))
        #expect(error.message.contains("base image"))
    }

    @Test(arguments: ["2.2.0", "2.3.0", "2.16.0", "3.0.0"])
    func acceptsSupportedRuntimes(_ version: String) throws {
        try KafkaRuntime.requireSupported(KafkaRuntimeVersion(version)!)
    }

    @Test func reportsTheLoadedLibraryConsistently() {
        // Whatever is loaded, the integer and the text versions agree.
        #expect(KafkaRuntimeVersion(KafkaRuntime.versionString) == KafkaRuntime.version)
    }
}
