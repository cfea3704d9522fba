/// Where the ClickHouse server is and how the client talks to its HTTP interface.
public struct ClickHouseConfiguration: Sendable, Equatable {
    /// How the user name and password travel to the server. Both work on ClickHouse 18.16 and current
    /// releases.
    public enum CredentialTransport: Sendable, Equatable {
        /// `Authorization: Basic …` (any character allowed in the password).
        case basicAuthentication
        /// `X-ClickHouse-User` / `X-ClickHouse-Key` headers (the password must be valid header text).
        case headers
    }

    /// Base URL of the HTTP interface, without query string. Default: `http://127.0.0.1:8123`.
    public var url: String
    /// User name. Default: `default`.
    public var user: String
    /// Password; empty sends none beyond the user name. Default: empty.
    public var password: String
    /// How credentials are sent. Default: ``CredentialTransport/basicAuthentication``.
    public var credentialTransport: CredentialTransport
    /// Database used for unqualified table names (`database` URL parameter). Default: `default`.
    public var database: String
    /// How long establishing a TCP connection may take. Default: 2 s.
    public var connectTimeout: Duration
    /// How long one whole request (sending the body, running the query, receiving the answer) may take.
    /// Default: 60 s.
    public var requestTimeout: Duration
    /// ClickHouse settings sent with every request as URL parameters (e.g.
    /// `input_format_skip_unknown_fields=1`); per-call settings override them. Default: none.
    public var settings: [String: String]
    /// Ask the server to gzip its answers (`enable_http_compression=1` and `Accept-Encoding`); curl
    /// decompresses. Request bodies are sent uncompressed. Default: `false`.
    public var compression: Bool
    /// Number of curl handles (kept-alive HTTP connections, each with its own thread) used for
    /// concurrent requests. Default: `4`.
    public var maximumConnections: Int

    public init(
        url: String = "http://127.0.0.1:8123",
        user: String = "default",
        password: String = "",
        credentialTransport: CredentialTransport = .basicAuthentication,
        database: String = "default",
        connectTimeout: Duration = .seconds(2),
        requestTimeout: Duration = .seconds(60),
        settings: [String: String] = [:],
        compression: Bool = false,
        maximumConnections: Int = 4
    ) {
        self.url = url
        self.user = user
        self.password = password
        self.credentialTransport = credentialTransport
        self.database = database
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.settings = settings
        self.compression = compression
        self.maximumConnections = maximumConnections
    }
}
