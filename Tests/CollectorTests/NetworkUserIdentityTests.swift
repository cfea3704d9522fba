import Foundation
import Testing

@testable import Collector

@Suite struct NetworkUserIdentityTests {
    @Test func precedence() {
        #expect(NetworkUserIdentity.resolve(anonymous: true, queryNetworkUserId: "q", cookieValue: "c", bounceFallback: nil) == "00000000-0000-0000-0000-000000000000")
        #expect(NetworkUserIdentity.resolve(anonymous: false, queryNetworkUserId: "q", cookieValue: "c", bounceFallback: nil) == "q")
        #expect(NetworkUserIdentity.resolve(anonymous: false, queryNetworkUserId: nil, cookieValue: "c", bounceFallback: "f") == "c")
        #expect(NetworkUserIdentity.resolve(anonymous: false, queryNetworkUserId: nil, cookieValue: nil, bounceFallback: "f") == "f")
        let fresh = NetworkUserIdentity.resolve(anonymous: false, queryNetworkUserId: nil, cookieValue: nil, bounceFallback: nil)
        #expect(fresh.count == 36)
        #expect(fresh.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(fresh.allSatisfy { $0.isHexDigit || $0 == "-" })
        #expect(Array(fresh)[14] == "4", "a version-4 UUID")
        #expect(fresh == fresh.lowercased())
    }

    @Test func cookieDomainFromOrigin() {
        var configuration = CookieConfiguration()
        configuration.domains = ["example.com", "acme.org"]
        configuration.fallbackDomain = "fallback.net"
        #expect(NetworkUserIdentity.cookieDomain(origin: "https://shop.acme.org", configuration: configuration) == "acme.org")
        #expect(NetworkUserIdentity.cookieDomain(origin: "https://example.com:8443", configuration: configuration) == "example.com")
        #expect(NetworkUserIdentity.cookieDomain(origin: "https://notexample.com", configuration: configuration) == "fallback.net")
        #expect(NetworkUserIdentity.cookieDomain(origin: "https://other.io https://www.example.com", configuration: configuration) == "example.com")
        #expect(NetworkUserIdentity.cookieDomain(origin: nil, configuration: configuration) == "fallback.net")
        configuration.fallbackDomain = nil
        #expect(NetworkUserIdentity.cookieDomain(origin: "https://nope.io", configuration: configuration) == nil)
    }

    @Test func setCookieAttributes() throws {
        var configuration = CookieConfiguration()
        configuration.domains = ["example.com"]
        configuration.clientCookieName = "sp_js"
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14T22:13:20Z
        let headers = NetworkUserIdentity.setCookieHeaders(networkUserId: "abc", origin: "https://www.example.com", configuration: configuration, now: now)
        #expect(headers.count == 2)
        #expect(headers[0] == "sp=abc; Expires=Wed, 13 Nov 2024 22:13:20 GMT; Domain=example.com; Path=/; SameSite=None; Secure; HttpOnly")
        #expect(headers[1] == "sp_js=abc; Expires=Wed, 13 Nov 2024 22:13:20 GMT; Domain=example.com; Path=/; SameSite=None; Secure")
        configuration.sameSite = nil
        configuration.secure = false
        configuration.httpOnly = false
        configuration.clientCookieName = nil
        let plain = NetworkUserIdentity.setCookieHeaders(networkUserId: "abc", origin: nil, configuration: configuration, now: now)
        #expect(plain == ["sp=abc; Expires=Wed, 13 Nov 2024 22:13:20 GMT; Path=/"])
    }

    @Test func expiredCookieDeletesIt() {
        let headers = NetworkUserIdentity.expiredCookieHeaders(origin: nil, configuration: CookieConfiguration())
        #expect(headers == ["sp=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; SameSite=None; Secure; HttpOnly"])
    }

    @Test func cookieHeaderSanitisation() {
        let header = CookieHeader("sp=1234; _ga=GA1.2; bad=va lue;  x=\"quoted\"; semi=a,b; =novalue; spaced = yes")
        #expect(header.value(named: "sp") == "1234")
        #expect(header.value(named: "x") == "\"quoted\"")
        #expect(header.value(named: "semi") == nil, "a comma is not allowed in a cookie value")
        #expect(header.sanitised == "sp=1234;_ga=GA1.2;bad=value;x=\"quoted\";spaced=yes")
    }
}
