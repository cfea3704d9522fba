import ArgumentParser
import Foundation
import Shared

/// The `collector` executable: Snowplow-compatible tracking endpoint that appends every accepted request
/// to local log files.
struct CollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "Snowplow-compatible tracking endpoint that appends every accepted request to local log files.",
        discussion: FreshetCommandLine.environmentHelp,
        version: FreshetVersion.current
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Address the tracking endpoint binds to.") var host = "0.0.0.0"
    @Option(help: "Port of the tracking endpoint (0 picks a free one).") var port = 8080
    @Option(help: "Event-loop threads serving requests; each writes its own log file. Default: the number of cores.")
    var workerThreads: Int?

    @Option(help: "Directory the collector-payload log files are written to.") var logDirectory = "collector-logs"
    @Option(help: "Log file name stem; each worker appends -w<n>. Default: collector-<hostname>.") var logStem: String?
    @Option(help: "Rotate the active log file before it exceeds this many bytes.") var maxFileBytes = 64 << 20
    @Option(help: "Rotate a non-empty active log file after this age (e.g. 30s, 5m).") var maxFileAge = "5m"
    @Option(help: "When appended lines are synced to disk: none, batch (before answering), or an interval such as 1s.")
    var fsync = "1s"

    @Flag(inversion: .prefixedNo, help: "Set the network user id cookie.") var cookie = true
    @Option(help: "Name of the network user id cookie.") var cookieName = "sp"
    @Option(help: "Cookie lifetime, extended on every hit (e.g. 365d).") var cookieExpiration = "365d"
    @Option(help: "Comma-separated domains the cookie may be set for, chosen by the request's Origin.") var cookieDomains = ""
    @Option(help: "Cookie domain when no configured domain matches the Origin.") var cookieFallbackDomain: String?
    @Flag(inversion: .prefixedNo, help: "Mark the cookie Secure.") var cookieSecure = true
    @Flag(inversion: .prefixedNo, help: "Mark the cookie HttpOnly.") var cookieHttpOnly = true
    @Option(help: "SameSite attribute of the cookie: None, Strict, Lax or omit.") var cookieSameSite = "None"
    @Option(help: "Name of a second, JavaScript-readable copy of the cookie.") var clientCookieName: String?
    @Option(help: "Do-not-track cookie name (requests carrying it with a matching value are not recorded).")
    var doNotTrackCookieName: String?
    @Option(help: "Regular expression the do-not-track cookie's value must match.") var doNotTrackCookieValue = ".*"
    @Flag(help: "Bounce first pixel requests to detect blocked third-party cookies.") var cookieBounce = false
    @Option(help: "Query parameter marking a bounced request.") var cookieBounceName = "n3pc"
    @Option(help: "Network user id recorded when a bounced browser came back without the cookie.")
    var cookieBounceFallbackNetworkUserId = "00000000-0000-4000-A000-000000000000"
    @Option(help: "Header holding the original scheme behind a proxy, for bounce redirects (e.g. X-Forwarded-Proto).")
    var forwardedProtocolHeader: String?
    @Option(help: "Reverse proxies in front of the collector trusted to append to X-Forwarded-For. Default: take the first entry, as Snowplow does.")
    var trustedProxies: Int?

    @Option(help: "Custom path mapped to a canonical one, e.g. /com.acme/track=/com.snowplowanalytics.snowplow/tp2 (repeatable; comma-separated in the environment).")
    var path: [String] = []
    @Flag(help: "Serve /r/tp2 redirects (click tracking).") var enableDefaultRedirect = false
    @Option(help: "Comma-separated hosts /r/tp2 may redirect to (subdomains included); empty allows any.") var redirectDomains = ""
    @Option(help: "Access-Control-Max-Age of CORS preflight answers (e.g. 3600s).") var corsMaxAge = "3600s"
    @Flag(help: "Serve /crossdomain.xml.") var crossDomain = false
    @Option(help: "Comma-separated domains listed by /crossdomain.xml.") var crossDomainDomains = "*"
    @Flag(help: "Answer GET / with the root response.") var rootResponse = false
    @Option(help: "Status of the root response.") var rootResponseStatus = 302
    @Option(help: "Header of the root response, 'Name: value' (repeatable).") var rootResponseHeader: [String] = []
    @Option(help: "Body of the root response.") var rootResponseBody = ""

    @Option(help: "Longest request line in bytes (414 beyond).") var maxRequestLineBytes = 20_480
    @Option(help: "Largest total size of request headers in bytes (431 beyond).") var maxHeaderBytes = 40_960
    @Option(help: "Bodies larger than this many bytes get 413 and are not recorded.") var maxBodyBytes = 2_097_152
    @Option(help: "Payloads larger than this many bytes are recorded as size_violation bad rows.") var maxPayloadBytes = 1_048_576
    @Option(help: "Close connections idle for this long.") var idleTimeout = "610s"
    @Option(help: "Answer 408 when a request head is not complete this long after its first byte.") var headerTimeout = "30s"
    @Option(help: "Close new connections beyond this many.") var maxConnections = 1024

    func run() async throws {
        let logger = try ServiceBootstrap.start(service: "collector", options: common)
        let configuration = try makeConfiguration()
        let server = CollectorServer(configuration: configuration, logger: logger)
        let admin = AdminServer(
            configuration: ServiceBootstrap.adminConfiguration(service: "collector", options: common),
            service: "collector", checks: [server.readinessCheck], logger: logger)
        try await ServiceRunner.run([admin, server], logger: logger)
    }

    /// The documented configuration value from the parsed options.
    func makeConfiguration() throws -> CollectorConfiguration {
        var configuration = CollectorConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.workerThreads = max(1, workerThreads ?? configuration.workerThreads)
        configuration.logDirectory = logDirectory
        configuration.logStem = logStem ?? "collector-\(ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host")"
        configuration.maxFileBytes = maxFileBytes
        configuration.maxFileAge = try duration(maxFileAge, "--max-file-age")
        guard let fsyncPolicy = FsyncPolicy(argument: fsync) else {
            throw ValidationError("--fsync must be none, batch or an interval such as 1s; got '\(fsync)'")
        }
        configuration.fsync = fsyncPolicy

        configuration.cookie.enabled = cookie
        configuration.cookie.name = cookieName
        configuration.cookie.expiration = try duration(cookieExpiration, "--cookie-expiration")
        configuration.cookie.domains = list(cookieDomains)
        configuration.cookie.fallbackDomain = cookieFallbackDomain
        configuration.cookie.secure = cookieSecure
        configuration.cookie.httpOnly = cookieHttpOnly
        if cookieSameSite.lowercased() == "omit" {
            configuration.cookie.sameSite = nil
        } else {
            guard let sameSite = CookieConfiguration.SameSite.allCases.first(where: { $0.rawValue.lowercased() == cookieSameSite.lowercased() }) else {
                throw ValidationError("--cookie-same-site must be None, Strict, Lax or omit; got '\(cookieSameSite)'")
            }
            configuration.cookie.sameSite = sameSite
        }
        configuration.cookie.clientCookieName = clientCookieName
        if let name = doNotTrackCookieName {
            configuration.doNotTrackCookie = try DoNotTrackCookie(name: name, valuePattern: doNotTrackCookieValue)
        }
        if cookieBounce {
            var bounce = CookieBounce()
            bounce.name = cookieBounceName
            bounce.fallbackNetworkUserId = cookieBounceFallbackNetworkUserId
            bounce.forwardedProtocolHeader = forwardedProtocolHeader
            configuration.cookieBounce = bounce
        }
        configuration.trustedProxies = trustedProxies

        for mapping in path.flatMap({ list($0) }) {
            let parts = mapping.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, CollectorRouter.isTwoSegmentPath(parts[0]), parts[1].hasPrefix("/") else {
                throw ValidationError("--path must look like /vendor/version=/canonical/path; got '\(mapping)'")
            }
            configuration.router.pathMappings[parts[0]] = parts[1]
        }
        configuration.router.enableDefaultRedirect = enableDefaultRedirect
        configuration.router.crossDomainEnabled = crossDomain
        configuration.router.rootResponseEnabled = rootResponse
        configuration.redirectDomains = list(redirectDomains)
        configuration.corsMaxAge = try duration(corsMaxAge, "--cors-max-age")
        configuration.crossDomainDomains = list(crossDomainDomains)
        configuration.rootResponseStatus = rootResponseStatus
        configuration.rootResponseHeaders = try rootResponseHeader.map { header in
            let parts = header.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--root-response-header must be 'Name: value'; got '\(header)'") }
            return (String(parts[0]).trimmingCharacters(in: .whitespaces), String(parts[1]).trimmingCharacters(in: .whitespaces))
        }
        configuration.rootResponseBody = rootResponseBody

        configuration.maxRequestLineBytes = maxRequestLineBytes
        configuration.maxHeaderBytes = maxHeaderBytes
        configuration.maxBodyBytes = maxBodyBytes
        configuration.maxPayloadBytes = maxPayloadBytes
        configuration.idleTimeout = try duration(idleTimeout, "--idle-timeout")
        configuration.headerTimeout = try duration(headerTimeout, "--header-timeout")
        configuration.maxConnections = maxConnections
        return configuration
    }

    private func duration(_ text: String, _ option: String) throws -> Duration {
        guard let value = DurationParser.parse(text) else {
            throw ValidationError("\(option) must be a duration such as 250ms, 30s, 5m, 1h or 365d; got '\(text)'")
        }
        return value
    }

    private func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Entry point: options may also come from `FRESHET_*` environment variables.
@main
enum CollectorMain {
    static func main() async {
        await CollectorCommand.main(
            FreshetCommandLine.arguments(for: CollectorCommand.self, environment: ProcessInfo.processInfo.environment))
    }
}
