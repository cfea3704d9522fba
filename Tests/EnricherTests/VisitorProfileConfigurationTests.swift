import Testing

@testable import Enricher
@testable import Shared

@Suite struct VisitorProfileConfigurationTests {
    @Test func defaultsAreTheDocumentedOnes() throws {
        let configuration = VisitorProfileConfiguration()
        #expect(configuration.keyPrefix == "freshet:profile:")
        #expect(configuration.sessionTimeout == .seconds(1800))
        #expect(configuration.profileTTL == .seconds(400 * 86_400))
        #expect(configuration.duplicateWindow == .seconds(86_400))
        #expect(configuration.duplicateAction == .flag)
        #expect(configuration.unavailableBehaviour == .pause)
        #expect(configuration.maximumAttributionValueBytes == 255)
        try configuration.validate()
    }

    @Test func outOfRangeValuesAreRejectedWithTheirName() {
        var configuration = VisitorProfileConfiguration()
        configuration.sessionTimeout = .zero
        #expect(throws: FreshetError.self) { try configuration.validate() }
        configuration = VisitorProfileConfiguration(duplicateWindow: .zero)
        do {
            try configuration.validate()
            Issue.record("expected an error")
        } catch let error as FreshetError {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("duplicate window"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        configuration = VisitorProfileConfiguration(retryBackoff: .seconds(10), maximumRetryBackoff: .seconds(1))
        #expect(throws: FreshetError.self) { try configuration.validate() }
    }

    @Test func durationsBecomeWholeMilliseconds() {
        #expect(VisitorProfileConfiguration.milliseconds(.seconds(1800)) == 1_800_000)
        #expect(VisitorProfileConfiguration.milliseconds(.milliseconds(1500)) == 1500)
        #expect(VisitorProfileConfiguration.milliseconds(.microseconds(1999)) == 1)
    }

    @Test func pauseBacksOffExponentiallyUpToTheMaximumAndReportsHowLongItLasted() {
        var pause = VisitorProfilePause(initial: .milliseconds(100), maximum: .milliseconds(500))
        let start = ContinuousClock.now
        #expect(!pause.isPaused)
        #expect(pause.recordFailure(at: start) == .milliseconds(100))
        #expect(pause.isPaused)
        #expect(pause.recordFailure(at: start) == .milliseconds(200))
        #expect(pause.recordFailure(at: start) == .milliseconds(400))
        #expect(pause.recordFailure(at: start) == .milliseconds(500))
        #expect(pause.recordFailure(at: start) == .milliseconds(500))
        #expect(pause.recordSuccess(at: start + .seconds(3)) == .seconds(3))
        #expect(!pause.isPaused)
        #expect(pause.recordSuccess(at: start + .seconds(4)) == nil)
        #expect(pause.recordFailure(at: start) == .milliseconds(100))
    }
}

@Suite struct VisitorProfileOptionsTests {
    @Test func defaultOptionsGiveTheDefaultConfiguration() throws {
        let options = try VisitorProfileOptions.parse([])
        #expect(options.configuration() == VisitorProfileConfiguration())
    }

    @Test func optionsMapToTheConfiguration() throws {
        let options = try VisitorProfileOptions.parse([
            "--profile-key-prefix", "p:", "--session-timeout-seconds", "600", "--profile-ttl-days", "30",
            "--duplicate-window-seconds", "3600", "--duplicates", "drop",
        ])
        #expect(
            options.configuration(unavailableBehaviour: .skip)
                == VisitorProfileConfiguration(
                    keyPrefix: "p:", sessionTimeout: .seconds(600), profileTTL: .seconds(30 * 86_400),
                    duplicateWindow: .seconds(3600),
                    duplicateAction: .drop, unavailableBehaviour: .skip))
        #expect(throws: (any Error).self) { try VisitorProfileOptions.parse(["--duplicates", "ignore"]) }
    }
}
