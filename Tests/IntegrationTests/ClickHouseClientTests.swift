import FreshetTestSupport
import Foundation
import Testing

@testable import Shared

/// Against the shared local ClickHouse (`FRESHET_TEST_CLICKHOUSE_URL`, 18.16 here, current releases in
/// docker-compose); every test uses its own table and drops it.
@Suite(.timeLimit(.minutes(2))) struct ClickHouseClientTests {
    private let client = ClickHouseClient(configuration: ClickHouseConfiguration(url: TestEnvironment.clickHouseURL))

    private func withTable<T>(_ columns: String, _ body: (String) async throws -> T) async throws -> T {
        let table = TestEnvironment.uniqueName("ch_test")
        try await client.execute("CREATE TABLE \(table) (\(columns)) ENGINE = MergeTree ORDER BY id")
        do {
            let result = try await body(table)
            try await client.execute("DROP TABLE IF EXISTS \(table)")
            return result
        } catch {
            try? await client.execute("DROP TABLE IF EXISTS \(table)")
            throw error
        }
    }

    /// A value with everything TSV must escape, different per row.
    private static func name(_ id: Int) -> String {
        switch id % 5 {
        case 0: "plain-\(id)"
        case 1: "tab\there-\(id)"
        case 2: "line\nbreak-\(id)"
        case 3: "back\\slash-\(id)"
        default: "ünïcødé-\(id) 'quoted'"
        }
    }

    private static func tsvEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\\": out += "\\\\"
            default: out.append(character)
            }
        }
        return out
    }

    @Test func pingAndVersion() async throws {
        try await client.ping()
        let version = try await client.serverVersion()
        #expect(version.first?.isNumber == true)
        #expect(version.split(separator: ".").count >= 3)
    }

    @Test func streamedTabSeparatedInsertRoundTrips100kRows() async throws {
        let rowCount = 100_000
        try await withTable("id UInt32, name String, value Int64") { table in
            // 100 chunks of 1000 rows, each built only when curl asks for it.
            let body = ClickHouseInsertBody.chunks(count: rowCount / 1000) { chunk in
                var text = ""
                for id in (chunk * 1000)..<(chunk * 1000 + 1000) { text += "\(id)\t\(Self.tsvEscape(Self.name(id)))\t\(Int64(id) * -7919)\n" }
                return Array(text.utf8)
            }
            try await client.insert(into: table, format: "TabSeparated", body: body)

            let rows = try await client.query("SELECT id, name, value FROM \(table) ORDER BY id FORMAT TabSeparated").tabSeparatedRows()
            #expect(rows.count == rowCount)
            let expected = (0..<rowCount).map { id -> [String?] in [String(id), Self.name(id), String(Int64(id) * -7919)] }
            #expect(rows == expected)
        }
    }

    /// A body written while the request runs: chunks cut anywhere (mid-row too) arrive whole, in order,
    /// and the producer waits while the stream is full.
    @Test func insertStreamWrittenWhileTheRequestRuns() async throws {
        let rowCount = 20_000
        try await withTable("id UInt32, name String, value Int64") { table in
            var text = ""
            for id in 0..<rowCount { text += "\(id)\t\(Self.tsvEscape(Self.name(id)))\t\(Int64(id) * -7919)\n" }
            let bytes = Array(text.utf8)
            let stream = ClickHouseInsertStream(capacity: 2)
            let client = client
            let insert = Task { try await client.insert(into: table, format: "TabSeparated", body: .stream(stream)) }
            var offset = 0, size = 1
            while offset < bytes.count {  // 1, 2, 4, … 65 536-byte pieces: most end inside a row
                let end = min(bytes.count, offset + size)
                try await stream.send(Array(bytes[offset..<end]))
                offset = end
                size = min(size * 2, 1 << 16)
            }
            stream.finish()
            try await insert.value
            let rows = try await client.query("SELECT id, name, value FROM \(table) ORDER BY id FORMAT TabSeparated").tabSeparatedRows()
            #expect(rows == (0..<rowCount).map { id -> [String?] in [String(id), Self.name(id), String(Int64(id) * -7919)] })
            await #expect(throws: FreshetError.self) { try await stream.send([1]) }
        }
    }

    /// An aborted stream fails the request and applies nothing, even rows already sent whole.
    @Test func abortedInsertStreamAppliesNothing() async throws {
        try await withTable("id UInt32, name String") { table in
            let stream = ClickHouseInsertStream()
            let client = client
            let insert = Task { try await client.insert(into: table, format: "TabSeparated", body: .stream(stream)) }
            try await stream.send(Array((0..<1000).map { "\($0)\tn\($0)\n" }.joined().utf8))
            stream.abort()
            let failure = await #expect(throws: FreshetError.self) { try await insert.value }
            #expect(failure?.code == .clickHouseTransferFailed, "\(String(describing: failure))")
            #expect(try await client.query("SELECT count() FROM \(table)").tabSeparatedRows() == [["0"]])
        }
    }

    /// Rows the server refuses make the insert fail with the server's error and apply nothing (18.16
    /// reads the rest of the body before answering, so the producer learns it when the insert ends);
    /// after that a send says the stream is closed instead of waiting forever.
    @Test func serverErrorMidStreamFailsTheInsert() async throws {
        try await withTable("id UInt32, name String") { table in
            let stream = ClickHouseInsertStream(capacity: 1)
            let client = client
            let insert = Task { try await client.insert(into: table, format: "TabSeparated", body: .stream(stream)) }
            try await stream.send(Array("1\tone\nnot-a-number\ttwo\n".utf8))
            for _ in 0..<20 { try await stream.send(Array(String(repeating: "3\tthree\n", count: 10_000).utf8)) }
            stream.finish()
            let failure = await #expect(throws: FreshetError.self) { try await insert.value }
            #expect(failure?.code == .clickHouseServerError, "\(String(describing: failure))")
            let closed = await #expect(throws: FreshetError.self) { try await stream.send([1]) }
            #expect(closed?.code == .clickHouseStreamClosed)
            #expect(try await client.query("SELECT count() FROM \(table)").tabSeparatedRows() == [["0"]])
        }
    }

    @Test func insertFromDataWithKnownLength() async throws {
        try await withTable("id UInt32, name String") { table in
            let json = (1...500).map { "{\"id\":\($0),\"name\":\"n\($0)\"}" }.joined(separator: "\n")
            try await client.insert(into: table, format: "JSONEachRow", body: .data(Data(json.utf8)))
            let result = try await client.query("SELECT count(), sum(id), max(name) FROM \(table)")
            #expect(result.tabSeparatedRows() == [["500", "125250", "n99"]])
            let lines = try await client.query("SELECT id, name FROM \(table) WHERE id <= 2 ORDER BY id FORMAT JSONEachRow").jsonEachRowLines()
            #expect(lines == ["{\"id\":1,\"name\":\"n1\"}", "{\"id\":2,\"name\":\"n2\"}"])
        }
    }

    @Test func missingTableIsCode60() async throws {
        let error = try await #require(throws: FreshetError.self) {
            try await client.query("SELECT * FROM \(TestEnvironment.uniqueName("missing"))")
        }
        #expect(error.code == .clickHouseServerError)
        #expect(error.clickHouseServerError?.code == 60)
        #expect(error.message.contains("doesn't exist") || error.message.contains("does not exist"))
        #expect(!error.isRetriable)
    }

    @Test func syntaxErrorIsCode62() async throws {
        let error = try await #require(throws: FreshetError.self) { try await client.query("SELEC 1") }
        #expect(error.clickHouseServerError?.code == 62)
        #expect(error.clickHouseServerError?.message.contains("Syntax error") == true)
    }

    @Test func insertIntoMissingTableIsCode60() async throws {
        let error = try await #require(throws: FreshetError.self) {
            try await client.insert(into: TestEnvironment.uniqueName("missing"), format: "TabSeparated", body: .bytes(Array("1\n".utf8)))
        }
        #expect(error.clickHouseServerError?.code == 60)
    }

    @Test func unsafeTableNamesAreRefused() async throws {
        let error = try await #require(throws: FreshetError.self) {
            try await client.insert(into: "t; DROP TABLE x", format: "TabSeparated", body: .bytes([]))
        }
        #expect(error.code == .clickHouseInvalidRequest)
    }

    @Test func settingsTravelAsParameters() async throws {
        let sql = "SELECT number FROM system.numbers LIMIT 10"
        #expect(try await client.query(sql).tabSeparatedRows().count == 10)
        let error = try await #require(throws: FreshetError.self) {
            try await client.query(sql, settings: ["max_result_rows": "5", "result_overflow_mode": "throw"])
        }
        #expect(error.clickHouseServerError?.code == 396)  // TOO_MANY_ROWS_OR_BYTES
        // Configuration settings apply too, and a per-call setting overrides them.
        let limited = ClickHouseClient(configuration: ClickHouseConfiguration(url: TestEnvironment.clickHouseURL, settings: ["max_result_rows": "5", "result_overflow_mode": "throw"]))
        await #expect(throws: FreshetError.self) { try await limited.query(sql) }
        #expect(try await limited.query(sql, settings: ["max_result_rows": "0"]).tabSeparatedRows().count == 10)
    }

    @Test func queryIDReachesTheServer() async throws {
        let queryID = TestEnvironment.uniqueName("qid")
        _ = try await client.query("SELECT 1", settings: ["log_queries": "1"], queryID: queryID)
        // The server logs queries asynchronously; under load one flush can come before the entry is
        // queued, so flush and look again for up to 10 s.
        var logged = 0
        for _ in 0..<40 where logged == 0 {
            try await client.execute("SYSTEM FLUSH LOGS")
            let count = try await client.query("SELECT count() FROM system.query_log WHERE query_id = '\(queryID)'").tabSeparatedRows()
            logged = Int(count.first?.first.flatMap { $0 } ?? "0") ?? 0
            if logged == 0 { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(logged >= 1)
    }

    @Test func compressedAnswersAreDecoded() async throws {
        let sql = "SELECT number, toString(number * 3) FROM system.numbers LIMIT 20000"
        let plain = try await client.query(sql)
        let compressed = ClickHouseClient(configuration: ClickHouseConfiguration(url: TestEnvironment.clickHouseURL, compression: true))
        let decoded = try await compressed.query(sql)
        #expect(decoded.body == plain.body)
        #expect(decoded.tabSeparatedRows().count == 20000)
    }

    @Test(arguments: [ClickHouseConfiguration.CredentialTransport.basicAuthentication, .headers])
    func credentialsAreSentAndChecked(transport: ClickHouseConfiguration.CredentialTransport) async throws {
        func client(user: String, password: String) -> ClickHouseClient {
            ClickHouseClient(configuration: ClickHouseConfiguration(url: TestEnvironment.clickHouseURL, user: user, password: password, credentialTransport: transport))
        }
        try await client(user: "default", password: "").ping()
        #expect(try await client(user: "default", password: "").query("SELECT 1").text == "1\n")

        // 18.16: 193 WRONG_PASSWORD / 192 UNKNOWN_USER; current releases: 516 AUTHENTICATION_FAILED for both.
        let wrongPassword = try await #require(throws: FreshetError.self) {
            try await client(user: "default", password: "not-the-password").query("SELECT 1")
        }
        #expect([193, 516].contains(wrongPassword.clickHouseServerError?.code ?? -1))
        #expect(!wrongPassword.isRetriable)
        let unknownUser = try await #require(throws: FreshetError.self) {
            try await client(user: TestEnvironment.uniqueName("nobody"), password: "x").query("SELECT 1")
        }
        #expect([192, 516].contains(unknownUser.clickHouseServerError?.code ?? -1))
    }

    @Test func refusedConnectionIsRetriable() async throws {
        let port = try Self.closedPort()
        let unreachable = ClickHouseClient(configuration: ClickHouseConfiguration(url: "http://127.0.0.1:\(port)"))
        let error = try await #require(throws: FreshetError.self) { try await unreachable.query("SELECT 1") }
        #expect(error.code == .clickHouseConnectionFailed)
        #expect(error.isRetriable)
        let ping = try await #require(throws: FreshetError.self) { try await unreachable.ping() }
        #expect(ping.code == .clickHouseConnectionFailed)
    }

    @Test func timeoutIsRetriable() async throws {
        let impatient = ClickHouseClient(configuration: ClickHouseConfiguration(url: TestEnvironment.clickHouseURL, requestTimeout: .milliseconds(300)))
        let error = try await #require(throws: FreshetError.self) { try await impatient.query("SELECT sleep(3)") }
        #expect(error.code == .clickHouseTimeout)
        #expect(error.isRetriable)
        // The handle recovers: the next request on it succeeds.
        #expect(try await impatient.query("SELECT 2").text == "2\n")
    }

    /// A port on which nothing listens: bound to learn a free number, then closed.
    private static func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
