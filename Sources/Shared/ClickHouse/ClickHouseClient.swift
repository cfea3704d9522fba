import Logging
import Metrics

/// The ClickHouse client the services use: queries, DDL and streamed inserts over the HTTP interface.
///
/// Threading: all methods are safe to call concurrently from any task. Each request runs on one of
/// ``ClickHouseConfiguration/maximumConnections`` curl handles, each with its own thread; no call blocks
/// the cooperative pool. Task cancellation does not abort a request already running: the request
/// timeout bounds it.
///
/// Errors: an exception answer throws ``FreshetError/Code/clickHouseServerError`` whose
/// ``FreshetError/clickHouseServerError`` holds ClickHouse's numeric code and message; refused
/// connections, timeouts and broken transfers throw retriable errors.
///
/// An exception that happens after the server started streaming a large answer arrives with status 200
/// at the end of the body (an HTTP limitation); pass the setting `wait_end_of_query=1` when a query must
/// fail cleanly instead.
///
/// Metrics: `freshet_clickhouse_request_errors_total{code}` counts failed requests by error code.
///
/// Lifetime: a value; copies share the same handles, which close when the last copy is gone.
public struct ClickHouseClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: ClickHouseConfiguration
    /// Each request goes to the handle with the fewest requests in flight, so a long insert does not
    /// hold up a `/ready` ping when another handle is free.
    private let pool: LeastBusyPool<ClickHouseConnection>
    private let logger: Logger

    /// Creates a client. Does not connect: the first request does (use ``ping()`` to check readiness).
    public init(configuration: ClickHouseConfiguration, logger: Logger = Logger(label: "freshet.clickhouse")) {
        var logger = logger
        logger[metadataKey: "component"] = "clickhouse.client"
        self.configuration = configuration
        self.logger = logger
        let size = max(configuration.maximumConnections, 1)
        self.pool = LeastBusyPool((0..<size).map { ClickHouseConnection(label: "freshet.clickhouse.\($0)") })
    }

    /// Runs `sql` (sent as the POST body) and returns the answer. Name the output format in the query
    /// (`FORMAT JSONEachRow`); without one ClickHouse answers `TabSeparated`.
    ///
    /// - Parameters:
    ///   - settings: ClickHouse settings for this query, overriding ``ClickHouseConfiguration/settings``.
    ///   - queryID: sent as `query_id` (lets an operator find or kill the query); `nil` lets the server pick.
    public func query(_ sql: String, settings: [String: String] = [:], queryID: String? = nil) async throws -> ClickHouseResult {
        try await send(
            body: .bytes(Array(sql.utf8)),
            parameters: parameters(settings: settings, queryID: queryID),
            describing: Self.describe(sql)
        )
    }

    /// Runs a statement whose answer is not needed (DDL such as `CREATE TABLE`, `DROP TABLE`, `ALTER`).
    public func execute(_ sql: String, settings: [String: String] = [:], queryID: String? = nil) async throws {
        _ = try await query(sql, settings: settings, queryID: queryID)
    }

    /// Inserts `body`, already encoded in `format` (`RowBinary`, `TabSeparated`, `JSONEachRow`, …), into
    /// `table` with `INSERT INTO table FORMAT format`. The body is streamed to the server as curl asks for
    /// it; see ``ClickHouseInsertBody``.
    ///
    /// `table` (optionally `database.table`, backquotes allowed) and `format` are written into the SQL as
    /// they are and so must be plain identifiers; anything else throws
    /// ``FreshetError/Code/clickHouseInvalidRequest``. A timeout or broken connection throws a retriable
    /// error after which the insert may or may not have been applied.
    ///
    /// `columns`, when given, are listed after the table name (`INSERT INTO table (a, b) FORMAT …`) and
    /// must be plain identifiers too; the body then carries exactly those columns, in that order.
    @discardableResult
    public func insert(
        into table: String,
        columns: [String]? = nil,
        format: String,
        body: ClickHouseInsertBody,
        settings: [String: String] = [:],
        queryID: String? = nil
    ) async throws -> ClickHouseResult {
        let names = [("table", table), ("format", format)] + (columns ?? []).map { ("column", $0) }
        for (what, name) in names where !Self.isPlainIdentifier(name) {
            throw FreshetError(.clickHouseInvalidRequest, "Refusing to insert: \(what) name '\(name)' is not a plain identifier")
        }
        let columnList = columns.map { " (" + $0.joined(separator: ", ") + ")" } ?? ""
        let statement = "INSERT INTO \(table)\(columnList) FORMAT \(format)"
        return try await send(
            body: body,
            parameters: parameters(settings: settings, queryID: queryID) + [("query", statement)],
            describing: statement
        )
    }

    /// `GET /ping`, which answers `Ok.` without running a query: the readiness check for `/ready`.
    public func ping() async throws {
        let url = ClickHouseURL.make(base: configuration.url, path: "ping", parameters: [])
        let ping = request(url: url, body: nil)
        let response: CurlResponse
        do {
            response = try await pool.withLeastBusy { try await $0.perform(ping) }
        } catch let error as CurlError {
            throw error.freshetError(request: "GET /ping", url: configuration.url)
        }
        guard response.status == 200, String(decoding: response.body, as: UTF8.self).hasPrefix("Ok.") else {
            throw FreshetError.clickHouse(ClickHouseServerError(body: response.body, httpStatus: response.status), request: "GET /ping")
        }
    }

    /// The server's version string (`SELECT version()`), e.g. `18.16.1`, for features that differ by release.
    public func serverVersion() async throws -> String {
        let rows = try await query("SELECT version()").tabSeparatedRows()
        guard let version = rows.first?.first ?? nil else {
            throw FreshetError(.clickHouseServerError, "ClickHouse answered SELECT version() with no rows")
        }
        return version
    }

    // MARK: - Private

    private func send(body: ClickHouseInsertBody, parameters: [(name: String, value: String)], describing request: String) async throws -> ClickHouseResult {
        defer { body.stream?.requestEnded() }
        let url = ClickHouseURL.make(base: configuration.url, parameters: parameters)
        let curlRequest = self.request(url: url, body: body)
        let response: CurlResponse
        do {
            response = try await pool.withLeastBusy { try await $0.perform(curlRequest) }
        } catch let error as CurlError {
            let failure = error.freshetError(request: request, url: configuration.url)
            Counter(label: "freshet_clickhouse_request_errors_total", dimensions: [("code", failure.code.rawValue)]).increment()
            logger.warning("ClickHouse request failed", metadata: ["error.code": "\(failure.code)", "error.message": "\(failure.message)"])
            throw failure
        }
        guard response.status == 200 else {
            let serverError = ClickHouseServerError(
                body: response.body,
                httpStatus: response.status,
                headerCode: response.headers["x-clickhouse-exception-code"]
            )
            Counter(label: "freshet_clickhouse_request_errors_total", dimensions: [("code", FreshetError.Code.clickHouseServerError.rawValue)]).increment()
            throw FreshetError.clickHouse(serverError, request: request)
        }
        return ClickHouseResult(body: response.body, queryID: response.headers["x-clickhouse-query-id"])
    }

    private func request(url: String, body: ClickHouseInsertBody?) -> CurlRequest {
        var request = CurlRequest(
            url: url,
            body: body,
            connectTimeoutMilliseconds: Self.milliseconds(configuration.connectTimeout),
            timeoutMilliseconds: Self.milliseconds(configuration.requestTimeout),
            acceptCompressedAnswer: configuration.compression
        )
        switch configuration.credentialTransport {
        case .basicAuthentication:
            request.basicAuthentication = (configuration.user, configuration.password)
        case .headers:
            request.headers = ["X-ClickHouse-User: \(configuration.user)"]
            if !configuration.password.isEmpty { request.headers.append("X-ClickHouse-Key: \(configuration.password)") }
        }
        return request
    }

    /// URL parameters: database, query id, compression, then the settings (configuration merged with
    /// the call's), sorted by name so identical requests have identical URLs.
    private func parameters(settings: [String: String], queryID: String?) -> [(name: String, value: String)] {
        var parameters: [(name: String, value: String)] = [("database", configuration.database)]
        if let queryID { parameters.append(("query_id", queryID)) }
        var merged = configuration.settings.merging(settings) { _, call in call }
        if configuration.compression { merged["enable_http_compression"] = "1" }
        parameters += merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return parameters
    }

    private static func isPlainIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "`"):
                true
            default:
                false
            }
        }
    }

    /// The start of `sql` for error messages.
    private static func describe(_ sql: String) -> String {
        let flat = sql.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= 120 ? "`\(flat)`" : "`\(flat.prefix(120))…`"
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(max(seconds * 1000 + attoseconds / 1_000_000_000_000_000, 1))
    }
}
