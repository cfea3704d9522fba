import Foundation
import Logging
import NIOHTTP1
import FreshetTestSupport
import Testing

@testable import Shared

private struct Unreachable: Error, CustomStringConvertible {
    var description: String { "connection refused" }
}

@Suite struct AdminServerTests {
    private func server(checks: [ReadinessCheck]) -> AdminServer {
        AdminServer(configuration: .init(host: "127.0.0.1", port: 0), service: "test", checks: checks, logger: Logger(label: "test"))
    }

    private func request(_ uri: String, method: HTTPMethod = .GET) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: uri)
    }

    @Test func healthAnswersOK() async {
        let (status, _, body) = await server(checks: []).respond(to: request("/health"))
        #expect(status == .ok)
        #expect(String(decoding: body, as: UTF8.self) == "ok\n")
    }

    @Test func readyIsUnavailableWhileADependencyFails() async {
        let checks = [ReadinessCheck("kafka") {}, ReadinessCheck("redis") { throw Unreachable() }]
        let (status, _, body) = await server(checks: checks).respond(to: request("/ready"))
        let text = String(decoding: body, as: UTF8.self)
        #expect(status == .serviceUnavailable)
        #expect(text.contains("kafka: ok"))
        #expect(text.contains("redis: FAIL connection refused"))
    }

    @Test func readyWhenEveryCheckPasses() async {
        let (status, _, _) = await server(checks: [ReadinessCheck("kafka") {}]).respond(to: request("/ready?verbose=1"))
        #expect(status == .ok)
    }

    @Test func aHangingCheckIsReportedAfterItsDeadline() async {
        let outcomes = await ReadinessCheck.run(
            [ReadinessCheck("slow") { try await Task.sleep(for: .seconds(60)) }], timeout: .milliseconds(50))
        #expect(outcomes.count == 1)
        #expect(outcomes[0].failure?.contains("no answer") == true)
    }

    @Test func metricsExposeRegisteredCounters() async {
        MetricsRegistry.bootstrap()
        PipelineMetrics(service: "admin_test").received(from: "unit").increment(by: 3)
        let (status, contentType, body) = await server(checks: []).respond(to: request("/metrics"))
        #expect(status == .ok)
        #expect(contentType.hasPrefix("text/plain; version=0.0.4"))
        #expect(String(decoding: body, as: UTF8.self).contains(#"freshet_records_received_total{service="admin_test",source="unit"} 3"#))
    }

    @Test func unknownPathsAndMethods() async {
        #expect(await server(checks: []).respond(to: request("/nope")).0 == .notFound)
        #expect(await server(checks: []).respond(to: request("/health", method: .POST)).0 == .methodNotAllowed)
    }

    @Test func servesOverRealHTTP() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let admin = AdminServer(
            configuration: .init(host: "127.0.0.1", port: 0), service: "test", checks: [], logger: Logger(label: "test"),
            onListening: { continuation.yield($0) })
        let task = Task { try await admin.run() }
        defer { task.cancel() }
        var iterator = stream.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let output = try await ChildProcess.runOffPool("/usr/bin/curl", ["-s", "--max-time", "60", "http://127.0.0.1:\(port)/health"])
        #expect(output.stdoutText == "ok\n")
    }
}
