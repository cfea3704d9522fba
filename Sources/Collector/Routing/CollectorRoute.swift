/// What a request to the collector is, decided from its method and path (reference §2.1).
enum CollectorRoute: Equatable, Sendable {
    /// `GET`/`HEAD` `/i`, `/ice.png` or `/<vendor>/<version>`: record, answer the 1×1 GIF.
    case pixel(path: String)
    /// `POST /<vendor>/<version>`: record, answer `ok`.
    case tracking(path: String)
    /// `GET /r/tp2` or a custom path mapped to it: record, answer 302 to `u`.
    case redirect(path: String)
    /// `/r/…` while default redirects are disabled: 404 `redirects disabled`.
    case redirectsDisabled
    /// `OPTIONS` anything: CORS preflight.
    case preflight
    case health
    case robots
    case crossDomain
    case root
    case notFound

    /// The label used in metrics.
    var metricLabel: String {
        switch self {
        case .pixel: "pixel"
        case .tracking: "tracking"
        case .redirect: "redirect"
        case .redirectsDisabled: "redirects_disabled"
        case .preflight: "preflight"
        case .health: "health"
        case .robots: "robots"
        case .crossDomain: "crossdomain"
        case .root: "root"
        case .notFound: "not_found"
        }
    }

    /// Whether this route records a collector payload.
    var records: Bool {
        switch self {
        case .pixel, .tracking, .redirect: true
        default: false
        }
    }
}

/// Decides routes. Custom paths (`--path /com.acme/track=/com.snowplowanalytics.snowplow/tp2`) let sites
/// use paths ad blockers do not know; the canonical path is what gets recorded.
struct CollectorRouter: Sendable {
    static let redirectPath = "/r/tp2"

    /// Two-segment custom path → canonical path.
    var pathMappings: [String: String] = [:]
    /// Default: `false` (Snowplow's `enableDefaultRedirect`).
    var enableDefaultRedirect = false
    var crossDomainEnabled = false
    var rootResponseEnabled = false

    enum Method: Sendable { case get, head, post, options, other }

    func route(method: Method, path rawPath: String) -> CollectorRoute {
        if method == .options { return .preflight }
        let path = rawPath.isEmpty ? "/" : rawPath
        let isRead = method == .get || method == .head
        switch path {
        case "/health" where isRead: return .health
        case "/robots.txt" where isRead: return .robots
        case "/crossdomain.xml" where isRead: return crossDomainEnabled ? .crossDomain : .notFound
        case "/" where isRead: return rootResponseEnabled ? .root : .notFound
        default: break
        }
        if let mapped = pathMappings[path] {
            if mapped == Self.redirectPath { return isRead ? .redirect(path: mapped) : .notFound }
            return trackingRoute(method: method, canonicalPath: mapped)
        }
        if path.hasPrefix("/r/") {
            guard enableDefaultRedirect else { return .redirectsDisabled }
            return path == Self.redirectPath && isRead ? .redirect(path: path) : .notFound
        }
        if path == "/i" || path == "/ice.png" { return isRead ? .pixel(path: path) : .notFound }
        return trackingRoute(method: method, canonicalPath: path)
    }

    private func trackingRoute(method: Method, canonicalPath: String) -> CollectorRoute {
        guard Self.isTwoSegmentPath(canonicalPath) else {
            if canonicalPath == "/i" || canonicalPath == "/ice.png" {
                return method == .get || method == .head ? .pixel(path: canonicalPath) : .notFound
            }
            return .notFound
        }
        switch method {
        case .post: return .tracking(path: canonicalPath)
        case .get, .head: return .pixel(path: canonicalPath)
        default: return .notFound
        }
    }

    /// `/vendor/version` (an optional trailing slash is allowed, as Snowplow's routes allow it).
    static func isTwoSegmentPath(_ path: String) -> Bool {
        guard path.hasPrefix("/") else { return false }
        var segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if segments.last == "" { segments.removeLast() }
        return segments.count == 2 && segments.allSatisfy { !$0.isEmpty }
    }
}
