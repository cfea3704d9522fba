import Foundation
import Shared

/// How the collector sets the network user id cookie (Snowplow's `cookie { … }` block).
struct CookieConfiguration: Sendable, Equatable {
    /// The SameSite attribute; `nil` omits it.
    enum SameSite: String, Sendable, CaseIterable { case none = "None", strict = "Strict", lax = "Lax" }

    /// Set the cookie at all. Default: `true`.
    var enabled = true
    /// Cookie name. Default: `sp`.
    var name = "sp"
    /// Lifetime, re-extended on every hit. Default: 365 days.
    var expiration: Duration = .seconds(365 * 86_400)
    /// Domains the cookie may be set for, matched against the request's `Origin`. Default: none.
    var domains: [String] = []
    /// Domain used when no configured domain matches the `Origin`. Default: none (the collector's host).
    var fallbackDomain: String?
    /// Default: `true`.
    var secure = true
    /// Default: `true`.
    var httpOnly = true
    /// Default: `None` (needed for third-party use; requires `secure`).
    var sameSite: SameSite? = SameSite.none
    /// When set, a second, JavaScript-readable (not HttpOnly) copy of the cookie under this name. Default: none.
    var clientCookieName: String?

    init() {}
}

/// Snowplow's do-not-track cookie: a request carrying cookie `name` whose value matches `valuePattern`
/// is answered normally but not recorded, and gets no cookie.
struct DoNotTrackCookie: @unchecked Sendable {  // NSRegularExpression is immutable and thread-safe
    /// Cookie name.
    let name: String
    /// A regular expression the whole cookie value must match.
    let valuePattern: String
    private let regex: NSRegularExpression

    /// Throws when `valuePattern` is not a valid regular expression.
    init(name: String, valuePattern: String) throws {
        self.name = name
        self.valuePattern = valuePattern
        do {
            self.regex = try NSRegularExpression(pattern: "^(?:" + valuePattern + ")$")
        } catch {
            throw FreshetError(.invalidConfiguration, "the do-not-track cookie value pattern '\(valuePattern)' is not a valid regular expression", underlying: error)
        }
    }

    func matches(_ value: String) -> Bool {
        regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }
}

/// Snowplow's cookie bounce: a first pixel request without any network user id is redirected to itself
/// with `<name>=true` to find out whether the browser keeps third-party cookies.
struct CookieBounce: Sendable, Equatable {
    /// Query parameter marking the second hop. Default: `n3pc`.
    var name = "n3pc"
    /// Network user id recorded when the browser came back without the cookie.
    /// Default: `00000000-0000-4000-A000-000000000000`.
    var fallbackNetworkUserId = "00000000-0000-4000-A000-000000000000"
    /// Header carrying the original scheme behind a TLS-terminating proxy (e.g. `X-Forwarded-Proto`). Default: none.
    var forwardedProtocolHeader: String?

    init() {}
}
