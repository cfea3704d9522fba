#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// The collector's network user id rules (reference §2.2–2.3): which id a request gets and which
/// `Set-Cookie` headers its answer carries.
enum NetworkUserIdentity {
    /// The id recorded for anonymous requests (`SP-Anonymous` header).
    static let anonymousId = "00000000-0000-0000-0000-000000000000"

    /// Order: anonymous → all zeros; else the `nuid` query parameter; else the cookie; else (on the second
    /// hop of a cookie bounce) the bounce fallback; else a new random UUIDv4.
    static func resolve(anonymous: Bool, queryNetworkUserId: String?, cookieValue: String?, bounceFallback: String?) -> String {
        if anonymous { return anonymousId }
        if let id = queryNetworkUserId, !id.isEmpty { return id }
        if let id = cookieValue, !id.isEmpty { return id }
        if let bounceFallback { return bounceFallback }
        return UUID().uuidString.lowercased()
    }

    /// The `Domain` attribute: the first configured domain that the host of any origin in the `Origin`
    /// header equals or is a subdomain of; else the fallback; else none.
    static func cookieDomain(origin: String?, configuration: CookieConfiguration) -> String? {
        if let origin, !configuration.domains.isEmpty {
            let hosts = origin.split(separator: " ").compactMap(originHost)
            for domain in configuration.domains {
                let domain = domain.lowercased()
                if hosts.contains(where: { $0 == domain || $0.hasSuffix("." + domain) }) { return domain }
            }
        }
        return configuration.fallbackDomain
    }

    /// `https://shop.example.com:8443` → `shop.example.com`.
    static func originHost(_ origin: Substring) -> String? {
        guard let schemeEnd = origin.range(of: "://") else { return nil }
        var host = origin[schemeEnd.upperBound...]
        if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
        if host.hasPrefix("[") {  // IPv6 literal
            guard let close = host.firstIndex(of: "]") else { return nil }
            return String(host[...close]).lowercased()
        }
        if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
        return host.isEmpty ? nil : host.lowercased()
    }

    /// The `Set-Cookie` header values of a tracking answer: the cookie, and its JavaScript-readable copy
    /// when configured.
    static func setCookieHeaders(networkUserId: String, origin: String?, configuration: CookieConfiguration, now: Date = Date()) -> [String] {
        setCookieHeaders(networkUserId: networkUserId, origin: origin, configuration: configuration, nowSeconds: Int64(now.timeIntervalSince1970.rounded(.down)))
    }

    static func setCookieHeaders(networkUserId: String, origin: String?, configuration: CookieConfiguration, nowSeconds: Int64) -> [String] {
        let domain = cookieDomain(origin: origin, configuration: configuration)
        let expires = httpDate(second: nowSeconds + configuration.expiration.components.seconds)
        var headers = [cookie(name: configuration.name, value: networkUserId, expires: expires, domain: domain, configuration: configuration, httpOnly: configuration.httpOnly)]
        if let clientName = configuration.clientCookieName {
            headers.append(cookie(name: clientName, value: networkUserId, expires: expires, domain: domain, configuration: configuration, httpOnly: false))
        }
        return headers
    }

    /// The headers that delete the cookie (and its client copy): sent to anonymous requests that still
    /// carry one.
    static func expiredCookieHeaders(origin: String?, configuration: CookieConfiguration) -> [String] {
        let domain = cookieDomain(origin: origin, configuration: configuration)
        let epoch = "Thu, 01 Jan 1970 00:00:00 GMT"
        var headers = [cookie(name: configuration.name, value: "", expires: epoch, domain: domain, configuration: configuration, httpOnly: configuration.httpOnly)]
        if let clientName = configuration.clientCookieName {
            headers.append(cookie(name: clientName, value: "", expires: epoch, domain: domain, configuration: configuration, httpOnly: false))
        }
        return headers
    }

    private static func cookie(name: String, value: String, expires: String, domain: String?, configuration: CookieConfiguration, httpOnly: Bool) -> String {
        var header = ""
        header.reserveCapacity(name.utf8.count + value.utf8.count + expires.utf8.count + (domain?.utf8.count ?? 0) + 64)
        header += name
        header += "="
        header += value
        header += "; Expires="
        header += expires
        if let domain {
            header += "; Domain="
            header += domain
        }
        header += "; Path=/"
        if let sameSite = configuration.sameSite {
            header += "; SameSite="
            header += sameSite.rawValue
        }
        if configuration.secure { header += "; Secure" }
        if httpOnly { header += "; HttpOnly" }
        return header
    }

    /// RFC 7231 IMF-fixdate: `Sat, 27 Nov 2027 01:02:03 GMT`.
    static func httpDate(_ date: Date) -> String {
        httpDate(second: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// The IMF-fixdate of a second since the epoch. The last result is cached per thread: every answer
    /// within the same second carries the same expiry.
    static func httpDate(second: Int64) -> String {
        if let cached = HTTPDateCache.current, cached.second == second { return cached.text }
        let text = formatHTTPDate(second)
        HTTPDateCache.current = (second, text)
        return text
    }

    private static func formatHTTPDate(_ second: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(second))
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}

/// The last formatted date of this thread (each event loop has one).
private enum HTTPDateCache {
    final class Entry {
        var second: Int64 = .min
        var text = ""
    }
    // Each thread only ever sees its own entry.
    nonisolated(unsafe) private static let perThread = ThreadSpecificVariable<Entry>()

    static var current: (second: Int64, text: String)? {
        get {
            guard let entry = perThread.currentValue else { return nil }
            return (entry.second, entry.text)
        }
        set {
            let entry = perThread.currentValue ?? Entry()
            if perThread.currentValue == nil { perThread.currentValue = entry }
            entry.second = newValue?.second ?? .min
            entry.text = newValue?.text ?? ""
        }
    }
}
