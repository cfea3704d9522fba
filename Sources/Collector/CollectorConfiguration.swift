import NIOCore
import Shared

/// Everything the collector can be configured with; filled from command-line options or `FRESHET_*`
/// environment variables by ``CollectorCommand``. Defaults follow Snowplow's collector where one exists.
struct CollectorConfiguration: Sendable {
    /// Address the tracking endpoint binds to. Default: `0.0.0.0`.
    var host = "0.0.0.0"
    /// Port of the tracking endpoint. Default: `8080`.
    var port = 8080
    /// Event-loop threads serving requests; each writes its own log file. Default: the number of cores.
    var workerThreads = System.coreCount

    // MARK: Log files
    /// Directory the collector-payload log files are written to. Default: `collector-logs`.
    var logDirectory = "collector-logs"
    /// File name stem; each worker thread appends `-w<n>`. Default: `collector-<hostname>`.
    var logStem = "collector"
    /// Rotate the active file before it exceeds this size. Default: 64 MiB.
    var maxFileBytes = 64 << 20
    /// Rotate a non-empty active file after this age. Default: 5 minutes.
    var maxFileAge: Duration = .seconds(300)
    /// When appended lines are synced to disk; see ``FsyncPolicy``. Default: every 1 s.
    var fsync: FsyncPolicy = .interval(.seconds(1))

    // MARK: Identity
    var cookie = CookieConfiguration()
    /// Default: none.
    var doNotTrackCookie: DoNotTrackCookie?
    /// Default: none (bouncing disabled).
    var cookieBounce: CookieBounce?
    /// How many reverse proxies in front of the collector are trusted to append to `X-Forwarded-For`;
    /// `nil` takes the first entry as Snowplow does. Default: `nil`.
    var trustedProxies: Int?

    // MARK: Routes
    var router = CollectorRouter()
    /// Hosts `/r/tp2` may redirect to; empty allows any. Default: empty.
    var redirectDomains: [String] = []
    /// `Access-Control-Max-Age` of preflight answers. Default: 3600 s.
    var corsMaxAge: Duration = .seconds(3600)
    /// Domains listed by `/crossdomain.xml` when enabled. Default: `*`.
    var crossDomainDomains = ["*"]
    /// `secure` attribute of `/crossdomain.xml` entries. Default: `true`.
    var crossDomainSecure = true
    /// Status of `GET /` when the root response is enabled. Default: 302.
    var rootResponseStatus = 302
    /// Headers of the root response, e.g. `Location: https://example.com`. Default: none.
    var rootResponseHeaders: [(String, String)] = []
    /// Body of the root response. Default: empty.
    var rootResponseBody = ""

    // MARK: Limits
    /// Longest request line (method, target, version). Default: 20480 bytes (414 beyond).
    var maxRequestLineBytes = 20_480
    /// Largest total size of the request headers. Default: 40960 bytes (431 beyond).
    var maxHeaderBytes = 40_960
    /// Bodies larger than this are refused with 413 and not recorded. Default: 2 MiB.
    var maxBodyBytes = 2_097_152
    /// Payloads larger than this are recorded as a `size_violation` bad row instead. Default: 1 MiB.
    var maxPayloadBytes = 1_048_576
    /// A connection with no traffic for this long is closed. Default: 610 s.
    var idleTimeout: Duration = .seconds(610)
    /// A request whose head has not fully arrived this long after its first byte gets 408. Default: 30 s.
    var headerTimeout: Duration = .seconds(30)
    /// Connections beyond this are closed at once. Default: 1024.
    var maxConnections = 1024

    /// Value of the payloads' `collector` field (→ `v_collector`). Default: `freshet-collector-<version>`.
    var collectorName = "freshet-collector-\(FreshetVersion.current)"

    init() {}
}
