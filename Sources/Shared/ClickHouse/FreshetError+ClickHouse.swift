extension FreshetError.Code {
    /// The server answered with an exception; `underlying` is a ``ClickHouseServerError`` with its code.
    public static let clickHouseServerError: Self = "clickhouse.server_error"
    /// No connection to the server (refused, unresolvable host, connect timeout). Retriable.
    public static let clickHouseConnectionFailed: Self = "clickhouse.connection_failed"
    /// The request did not finish within ``ClickHouseConfiguration/requestTimeout``. Retriable; an insert
    /// may or may not have been applied.
    public static let clickHouseTimeout: Self = "clickhouse.timeout"
    /// The connection broke while sending or receiving. Retriable; an insert may or may not have been applied.
    public static let clickHouseTransferFailed: Self = "clickhouse.transfer_failed"
    /// The request could not be built (bad URL, an unsafe table or format name) or curl refused an
    /// option. Not retriable.
    public static let clickHouseInvalidRequest: Self = "clickhouse.invalid_request"
    /// Rows were sent to a ``ClickHouseInsertStream`` that was finished, aborted, or whose request had
    /// already ended; the request's own outcome is the `insert` call's.
    public static let clickHouseStreamClosed: Self = "clickhouse.stream_closed"
}

extension FreshetError {
    /// The ClickHouse exception behind this error (with its numeric ``ClickHouseServerError/code``), when
    /// the error is ``FreshetError/Code/clickHouseServerError``.
    public var clickHouseServerError: ClickHouseServerError? { underlying as? ClickHouseServerError }

    /// Wraps an exception answer from the server.
    static func clickHouse(_ error: ClickHouseServerError, request: String) -> FreshetError {
        FreshetError(
            .clickHouseServerError,
            "ClickHouse rejected \(request): Code \(error.code.map(String.init) ?? "?"): \(error.message)",
            retriable: error.isTransient,
            underlying: error
        )
    }
}
