/// Where the Redis server is and how the client talks to it.
///
/// A plain value: build it from flags and environment variables, then hand it to ``RedisClient``.
public struct RedisConfiguration: Sendable, Equatable {
    /// Host name or IP address of the server. Default: `127.0.0.1`.
    public var host: String
    /// TCP port of the server. Default: `6379`.
    public var port: Int
    /// How long establishing one TCP connection may take. Default: 1 s.
    public var connectTimeout: Duration
    /// How long one send or one receive on an established connection may block (hiredis
    /// `redisSetTimeout`, i.e. `SO_SNDTIMEO`/`SO_RCVTIMEO`). Default: 1 s.
    public var commandTimeout: Duration
    /// Database number selected with `SELECT` after connecting. Default: `0`.
    public var database: Int
    /// Password sent with `AUTH` after connecting; `nil` sends none. Default: `nil`.
    public var password: String?
    /// Number of connections, each with its own thread, used concurrently. Default: `4`.
    public var poolSize: Int
    /// Wait before the first reconnect attempt after a failed connect; doubles on each further failure.
    /// Default: 100 ms.
    public var reconnectBackoff: Duration
    /// Upper bound of the reconnect wait. Default: 5 s.
    public var maximumReconnectBackoff: Duration

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        connectTimeout: Duration = .seconds(1),
        commandTimeout: Duration = .seconds(1),
        database: Int = 0,
        password: String? = nil,
        poolSize: Int = 4,
        reconnectBackoff: Duration = .milliseconds(100),
        maximumReconnectBackoff: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.database = database
        self.password = password
        self.poolSize = poolSize
        self.reconnectBackoff = reconnectBackoff
        self.maximumReconnectBackoff = maximumReconnectBackoff
    }

    /// `host:port`, for log lines, thread names and error messages.
    public var address: String { "\(host):\(port)" }
}
