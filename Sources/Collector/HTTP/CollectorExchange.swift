import Foundation
import NIOCore
import NIOHTTP1
import Shared

/// What the collector does with one complete request: the payload to record (if any) and the answer.
/// Pure: built from the request, the peer address, the clock and the configuration, so every rule of
/// reference §2 is unit-tested without a socket.
struct CollectorExchange {
    enum Body: Equatable {
        case empty, pixel, ok
        case text(String)
    }

    var status: HTTPResponseStatus
    var headers: [(String, String)] = []
    var body: Body = .empty
    /// The payload to append to the log before answering; `nil` when nothing is recorded.
    var payload: CollectorPayload?

    /// Decides the exchange for a complete request routed to `route`.
    static func decide(
        route: CollectorRoute, head: HTTPRequestHead, body: ByteBuffer?, peer: String?, nowMilliseconds: Int64,
        configuration: CollectorConfiguration, memo: ConnectionMemo = ConnectionMemo(), headerGeneration: Int? = nil
    ) -> CollectorExchange {
        let facts = memo.headerFacts(head.headers, generation: headerGeneration)
        let origin = facts.origin
        switch route {
        case .health: return CollectorExchange(status: .ok, headers: [("Content-Type", "text/plain; charset=UTF-8")], body: .text("ok"))
        case .robots: return CollectorExchange(status: .ok, headers: [("Content-Type", "text/plain; charset=UTF-8")], body: .text(CollectorResponses.robots))
        case .crossDomain:
            return CollectorExchange(
                status: .ok, headers: [("Content-Type", "text/xml")],
                body: .text(CollectorResponses.crossDomainPolicy(domains: configuration.crossDomainDomains, secure: configuration.crossDomainSecure)))
        case .root:
            return CollectorExchange(
                status: HTTPResponseStatus(statusCode: configuration.rootResponseStatus),
                headers: configuration.rootResponseHeaders, body: .text(configuration.rootResponseBody))
        case .notFound: return CollectorExchange(status: .notFound, headers: [("Content-Type", "text/plain; charset=UTF-8")], body: .text("Not found"))
        case .redirectsDisabled:
            return CollectorExchange(status: .notFound, headers: [("Content-Type", "text/plain; charset=UTF-8")], body: .text("redirects disabled"))
        case .preflight:
            return CollectorExchange(status: .ok, headers: [
                ("Access-Control-Allow-Origin", origin ?? "*"),
                ("Access-Control-Allow-Credentials", "true"),
                ("Access-Control-Allow-Headers", CollectorResponses.allowedHeaders),
                ("Access-Control-Max-Age", String(configuration.corsMaxAge.components.seconds)),
            ])
        case .pixel(let path), .tracking(let path), .redirect(let path):
            return track(
                route: route, path: path, head: head, body: body, peer: peer, facts: facts, now: nowMilliseconds,
                configuration: configuration, memo: memo, headerGeneration: headerGeneration)
        }
    }

    private static func track(
        route: CollectorRoute, path: String, head: HTTPRequestHead, body: ByteBuffer?, peer: String?, facts: RequestHeaderFacts, now: Int64,
        configuration: CollectorConfiguration, memo: ConnectionMemo, headerGeneration: Int?
    ) -> CollectorExchange {
        let (_, query) = splitTarget(head.uri)
        let origin = facts.origin
        let cookieHeader = facts.cookie.map(memo.cookieHeader)
        let anonymous = facts.anonymous
        let cookieValue = configuration.cookie.enabled ? cookieHeader?.value(named: configuration.cookie.name) : nil
        let queryNetworkUserId = query.flatMap { QueryString.firstValue(of: "nuid", in: $0) }
        let isReadRequest = head.method == .GET || head.method == .HEAD

        var exchange = CollectorExchange(status: .ok)
        exchange.headers.reserveCapacity(8)
        exchange.headers.append(("Access-Control-Allow-Origin", origin ?? "*"))
        exchange.headers.append(("Access-Control-Allow-Credentials", "true"))

        // Cookie bounce: a first pixel hit with no id at all goes round once to see whether the cookie sticks.
        var bounceFallback: String?
        if let bounce = configuration.cookieBounce, case .pixel = route, !anonymous {
            let bouncing = query.flatMap { QueryString.firstValue(of: bounce.name, in: $0) } != nil
            if bouncing {
                bounceFallback = bounce.fallbackNetworkUserId
            } else if queryNetworkUserId == nil, cookieValue == nil {
                let id = NetworkUserIdentity.resolve(anonymous: false, queryNetworkUserId: nil, cookieValue: nil, bounceFallback: nil)
                let scheme = bounce.forwardedProtocolHeader.flatMap { head.headers.first(name: $0) } ?? "http"
                let host = facts.host ?? ""
                let separator = query == nil ? "?" : "&"
                exchange.status = .found
                exchange.headers.append(("Location", "\(scheme)://\(host)\(head.uri)\(separator)\(bounce.name)=true"))
                exchange.headers += NetworkUserIdentity.setCookieHeaders(networkUserId: id, origin: origin, configuration: configuration.cookie).map { ("Set-Cookie", $0) }
                return exchange
            }
        }

        let networkUserId = NetworkUserIdentity.resolve(
            anonymous: anonymous, queryNetworkUserId: queryNetworkUserId, cookieValue: cookieValue, bounceFallback: bounceFallback)

        // The answer's body and, for redirects, its target.
        switch route {
        case .tracking:
            exchange.headers.append(("Content-Type", "text/plain; charset=UTF-8"))
            exchange.body = .ok
        case .redirect:
            guard let target = query.flatMap({ QueryString.firstValue(of: "u", in: $0) }),
                let host = redirectHost(target), redirectAllowed(host: host, domains: configuration.redirectDomains)
            else {
                return CollectorExchange(status: .badRequest, headers: [("Content-Type", "text/plain; charset=UTF-8")], body: .text("Could not redirect: missing or invalid u parameter"))
            }
            exchange.status = .found
            exchange.headers.append(("Location", target))
        default:
            exchange.headers += [("Content-Type", "image/gif"), ("Cache-Control", CollectorResponses.noCache)]
            exchange.body = .pixel
        }

        // Do-not-track: answer as usual, record nothing, set no cookie.
        if let dnt = configuration.doNotTrackCookie, let value = cookieHeader?.value(named: dnt.name), dnt.matches(value) {
            return exchange
        }

        if configuration.cookie.enabled {
            if anonymous {
                if cookieValue != nil {
                    exchange.headers += NetworkUserIdentity.expiredCookieHeaders(origin: origin, configuration: configuration.cookie).map { ("Set-Cookie", $0) }
                }
            } else {
                let values = memo.setCookie(networkUserId: networkUserId, second: now / 1000, origin: origin) {
                    NetworkUserIdentity.setCookieHeaders(
                        networkUserId: networkUserId, origin: origin, configuration: configuration.cookie, nowSeconds: now / 1000)
                }
                for header in values { exchange.headers.append(("Set-Cookie", header)) }
            }
        }

        let contentType = facts.contentType
        let ip: String = anonymous ? "unknown" : ClientAddress.resolve(
            forwardedFor: facts.forwardedFor, forwarded: facts.forwarded,
            peer: peer, trustedProxies: configuration.trustedProxies) ?? "unknown"
        exchange.payload = CollectorPayload(
            ipAddress: ip,
            timestamp: now,
            collector: configuration.collectorName,
            userAgent: facts.userAgent,
            refererUri: facts.referer,
            path: path,
            querystring: query,
            body: isReadRequest ? nil : body.map { String(buffer: $0) },
            headers: memo.storedHeaders(generation: headerGeneration) {
                storedHeaders(head.headers, anonymous: anonymous, cookie: cookieHeader, contentType: contentType, memo: memo)
            },
            contentType: contentType,
            hostname: facts.host.map(hostWithoutPort),
            networkUserId: networkUserId
        )
        return exchange
    }

    /// All headers as `Name: value`, the `Cookie` header sanitised, identifying headers dropped for
    /// anonymous requests, and the lower-cased content type appended as a bare string (reference §2.5).
    static func storedHeaders(
        _ headers: HTTPHeaders, anonymous: Bool, cookie: CookieHeader?, contentType: String?, memo: ConnectionMemo = ConnectionMemo()
    ) -> [String] {
        var stored: [String] = []
        stored.reserveCapacity(headers.count + 1)
        var cookieWritten = false
        for (index, (name, value)) in headers.enumerated() {
            if name.caseInsensitiveEquals("Cookie") {
                if anonymous || cookieWritten { continue }
                cookieWritten = true
                if let cookie {
                    let sanitised = memo.sanitisedCookie(cookie)
                    if !sanitised.isEmpty { stored.append(memo.headerLine(index: index, name: "Cookie", value: sanitised)) }
                }
                continue
            }
            if anonymous && (name.caseInsensitiveEquals("X-Forwarded-For") || name.caseInsensitiveEquals("X-Real-Ip")) { continue }
            stored.append(memo.headerLine(index: index, name: name, value: value))
        }
        if let contentType { stored.append(contentType) }
        return stored
    }

    /// `/path?query` → (`/path`, `query`); no `?` → no query. Split at the first `?` byte (RFC 3986),
    /// found on the UTF-8 bytes rather than by walking characters.
    static func splitTarget(_ uri: String) -> (path: String, query: String?) {
        guard let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (uri, nil) }
        return (String(uri[..<mark]), String(uri[uri.utf8.index(after: mark)...]))
    }

    /// The path of `/path?query` (``splitTarget(_:)`` without copying the query).
    static func targetPath(_ uri: String) -> String {
        guard let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) else { return uri }
        return String(uri[..<mark])
    }

    private static func hostWithoutPort(_ host: String) -> String {
        if host.hasPrefix("[") { return host.firstIndex(of: "]").map { String(host[...$0]) } ?? host }
        guard let colon = host.utf8.firstIndex(of: UInt8(ascii: ":")) else { return host }
        return String(host[..<colon])
    }

    /// The lower-cased host of an absolute http(s) URL, or `nil` if it is not one.
    static func redirectHost(_ target: String) -> String? {
        let lower = target.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), let schemeEnd = lower.range(of: "://") else { return nil }
        let rest = lower[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last ?? authority
        let host = hostPort.hasPrefix("[") ? hostPort.prefix { $0 != "]" } + "]" : hostPort.prefix { $0 != ":" }
        guard !host.isEmpty, !target.contains(where: { $0 == "\r" || $0 == "\n" }) else { return nil }
        return String(host)
    }

    static func redirectAllowed(host: String, domains: [String]) -> Bool {
        domains.isEmpty || domains.contains { host == $0.lowercased() || host.hasSuffix("." + $0.lowercased()) }
    }
}

extension String {
    /// ASCII case-insensitive equality, without allocating (header names are ASCII).
    func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { a, b in a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A) }
    }
}
