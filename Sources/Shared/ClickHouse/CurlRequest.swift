/// One HTTP request as ``CurlEasyHandle`` performs it: everything ClickHouse-specific is already in the
/// URL and headers.
struct CurlRequest: Sendable {
    var url: String
    var headers: [String] = []
    var basicAuthentication: (user: String, password: String)?
    /// `nil` sends a GET; otherwise a POST with this body.
    var body: ClickHouseInsertBody?
    var connectTimeoutMilliseconds: Int
    var timeoutMilliseconds: Int
    var acceptCompressedAnswer = false
}

/// The answer to a ``CurlRequest``, whatever its HTTP status.
struct CurlResponse: Sendable {
    var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]
}
