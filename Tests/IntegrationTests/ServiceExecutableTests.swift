import Foundation
import FreshetTestSupport
import Testing

/// Starts the real executables the way an operator does and checks the behaviour every service shares:
/// admin endpoints, configuration from the environment, graceful shutdown on SIGTERM/SIGINT.
@Suite struct ServiceExecutableTests {
    static let services = ["collector", "shipper", "enricher", "loader"]

    /// The loader really loads: keep it off the pipeline's topics, group and database.
    static let loaderIsolation = [
        "FRESHET_ENRICHED_TOPIC": "freshet_test_executables_enriched", "FRESHET_BAD_TOPIC": "freshet_test_executables_bad",
        "FRESHET_GROUP_ID": "freshet_test_executables", "FRESHET_CLICKHOUSE_DATABASE": "freshet_test_executables",
    ]

    @Test(arguments: services)
    func servesHealthAndStopsCleanlyOnSIGTERM(service: String) async throws {
        let running = try RunningService.start(
            service, environment: ["FRESHET_ADMIN_PORT": "0", "FRESHET_ADMIN_HOST": "127.0.0.1"].merging(service == "loader" ? Self.loaderIsolation : [:]) { $1 })
        let port = try running.adminPort()
        #expect(try ChildProcess.run("/usr/bin/curl", ["-s", "--max-time", "60", "http://127.0.0.1:\(port)/health"]).stdoutText == "ok\n")
        let metrics = try ChildProcess.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/metrics"])
        #expect(metrics.stdoutText == "200")
        let status = running.stop(signal: SIGTERM)
        #expect(status == 0, "a graceful shutdown exits 0; log:\n\(running.log)")
        #expect(running.log.contains("stopped"))
    }

    @Test func jsonLogsWhenConfiguredThroughTheEnvironment() async throws {
        let running = try RunningService.start("loader", environment: ["FRESHET_ADMIN_PORT": "0", "FRESHET_LOG_FORMAT": "json"].merging(Self.loaderIsolation) { $1 })
        _ = try running.adminPort()
        #expect(running.stop(signal: SIGINT) == 0)
        let first = try #require(running.log.split(separator: "\n").first)
        let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        #expect(object?["service"] as? String == "loader")
        #expect(object?["level"] as? String == "info")
    }

    @Test(arguments: ["shipper", "enricher", "loader"])
    func anOldLibrdkafkaRuntimeIsRefusedWithTheFix(service: String) throws {
        // Without .stack/lib first on the library path, Debian's librdkafka 2.0.2 is loaded.
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = ""
        environment["FRESHET_ADMIN_PORT"] = "0"
        let output = try ChildProcess.run(RunningService.binary(service), [], environment: environment)
        #expect(output.status != 0)
        #expect(output.stderrText.contains("kafka.runtime_too_old"), "\(output.stderrText)")
        #expect(output.stderrText.contains("LD_LIBRARY_PATH"))
        #expect(output.stderrText.contains("2.0.2"))
    }

    @Test func readyReportsKafkaReachability() throws {
        let reachable = try RunningService.start("loader", environment: ["FRESHET_ADMIN_PORT": "0", "FRESHET_KAFKA_BROKERS": TestEnvironment.kafkaBrokers].merging(Self.loaderIsolation) { $1 })
        let port = try reachable.adminPort()
        let ready = try ChildProcess.run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)/ready"])
        #expect(ready.stdoutText.hasSuffix("200"), "\(ready.stdoutText)")
        #expect(ready.stdoutText.contains("kafka: ok"))
        reachable.stop()

        let unreachable = try RunningService.start("loader", environment: ["FRESHET_ADMIN_PORT": "0", "FRESHET_KAFKA_BROKERS": "127.0.0.1:1"].merging(Self.loaderIsolation) { $1 })
        let downPort = try unreachable.adminPort()
        let notReady = try ChildProcess.run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(downPort)/ready"])
        #expect(notReady.stdoutText.hasSuffix("503"), "\(notReady.stdoutText)")
        #expect(notReady.stdoutText.contains("kafka: FAIL"))
        unreachable.stop()
    }

    @Test func anInvalidOptionIsRefusedWithAClearMessage() throws {
        let output = try ChildProcess.run(RunningService.binary("shipper"), ["--log-level", "loud"])
        #expect(output.status != 0)
        #expect(output.stderrText.contains("--log-level must be one of"))
    }
}
