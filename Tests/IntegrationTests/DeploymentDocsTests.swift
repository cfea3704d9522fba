import Foundation
import FreshetTestSupport
import Testing

/// The README's configuration table is the one scripts/config-table.sh generates from the built
/// executables, so it lists exactly the variables the services read, with their defaults.
@Suite struct DeploymentDocsTests {
    @Test func readmeConfigurationTableMatchesTheExecutables() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["FRESHET_BUILD_CONFIGURATION"] =
            ProcessInfo.processInfo.environment["FRESHET_TEST_BUILD_CONFIGURATION"] ?? "debug"
        let generated = try ChildProcess.run(
            "/bin/bash", [Deployment.root.appendingPathComponent("scripts/config-table.sh").path],
            environment: environment)
        #expect(generated.status == 0, "\(generated.stderrText)")
        #expect(generated.stdoutText.contains("| `FRESHET_KAFKA_BROKERS` |"))
        let readme = try Deployment.text("README.md")
        let begin = "<!-- config-table:begin (scripts/config-table.sh --update) -->\n",
            end = "<!-- config-table:end -->\n"
        let block = try #require(
            readme.components(separatedBy: begin).dropFirst().first?.components(separatedBy: end).first)
        #expect(block == generated.stdoutText, "README.md's table is stale: run scripts/config-table.sh --update")
    }
}
