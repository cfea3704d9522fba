import NIOCore
import NIOHTTP1
import Testing

@testable import Collector
@testable import Shared

@Suite struct CollectorExchangeTests {
    let now: Int64 = 1_764_000_000_123

    func head(_ method: HTTPMethod, _ uri: String, _ headers: [(String, String)] = []) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders(headers))
    }

    func decide(_ head: HTTPRequestHead, body: String? = nil, configuration: CollectorConfiguration = CollectorConfiguration()) -> CollectorExchange {
        let path = CollectorExchange.splitTarget(head.uri).path
        let method: CollectorRouter.Method = head.method == .POST ? .post : head.method == .OPTIONS ? .options : head.method == .HEAD ? .head : .get
        let route = configuration.router.route(method: method, path: path)
        return CollectorExchange.decide(route: route, head: head, body: body.map { ByteBuffer(string: $0) }, peer: "198.51.100.4", nowMilliseconds: now, configuration: configuration)
    }

    func header(_ exchange: CollectorExchange, _ name: String) -> [String] {
        exchange.headers.filter { $0.0 == name }.map(\.1)
    }

    @Test func pixelRecordsEveryFieldAndSetsTheCookie() throws {
        let exchange = decide(head(.GET, "/i?e=pv&url=https%3A%2F%2Fshop.example.com%2F&nuid=11111111-2222-4333-8444-555555555555", [
            ("Host", "collector.example.com:8080"), ("User-Agent", "Mozilla/5.0 test"), ("Referer", "https://shop.example.com/"),
            ("X-Forwarded-For", "203.0.113.9, 10.0.0.1"), ("Cookie", "sp=ignored-because-nuid-param; other=1"), ("Origin", "https://shop.example.com"),
        ]))
        #expect(exchange.status == .ok)
        #expect(exchange.body == .pixel)
        #expect(header(exchange, "Content-Type") == ["image/gif"])
        #expect(header(exchange, "Cache-Control") == ["no-cache, no-store, must-revalidate"])
        #expect(header(exchange, "Access-Control-Allow-Origin") == ["https://shop.example.com"])
        #expect(header(exchange, "Access-Control-Allow-Credentials") == ["true"])
        let cookie = try #require(header(exchange, "Set-Cookie").first)
        #expect(cookie.hasPrefix("sp=11111111-2222-4333-8444-555555555555; Expires="))
        let payload = try #require(exchange.payload)
        #expect(payload.ipAddress == "203.0.113.9")
        #expect(payload.timestamp == now)
        #expect(payload.encoding == "UTF-8")
        #expect(payload.collector.hasPrefix("freshet-collector-"))
        #expect(payload.userAgent == "Mozilla/5.0 test")
        #expect(payload.refererUri == "https://shop.example.com/")
        #expect(payload.path == "/i")
        #expect(payload.querystring == "e=pv&url=https%3A%2F%2Fshop.example.com%2F&nuid=11111111-2222-4333-8444-555555555555")
        #expect(payload.body == nil)
        #expect(payload.hostname == "collector.example.com")
        #expect(payload.networkUserId == "11111111-2222-4333-8444-555555555555")
        #expect(payload.headers?.contains("Cookie: sp=ignored-because-nuid-param;other=1") == true)
        #expect(payload.headers?.contains("X-Forwarded-For: 203.0.113.9, 10.0.0.1") == true)
    }

    @Test func postRecordsTheBodyAndLowerCasedContentType() throws {
        let body = #"{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":[{"e":"pv","tv":"t","p":"web"}]}"#
        let exchange = decide(head(.POST, "/com.snowplowanalytics.snowplow/tp2", [("Content-Type", "application/json; charset=UTF-8"), ("Cookie", "sp=abc-cookie")]), body: body)
        #expect(exchange.status == .ok)
        #expect(exchange.body == .ok)
        let payload = try #require(exchange.payload)
        #expect(payload.body == body)
        #expect(payload.contentType == "application/json; charset=utf-8")
        #expect(payload.headers?.last == "application/json; charset=utf-8")
        #expect(payload.networkUserId == "abc-cookie", "the cookie's id when there is no nuid parameter")
        #expect(payload.ipAddress == "198.51.100.4", "the socket peer without forwarding headers")
    }

    @Test func anonymousRequestsKeepNothingIdentifying() throws {
        let exchange = decide(head(.GET, "/i?e=pv", [
            ("SP-Anonymous", "*"), ("X-Forwarded-For", "203.0.113.9"), ("X-Real-Ip", "203.0.113.9"), ("Cookie", "sp=existing"), ("User-Agent", "UA"),
        ]))
        let payload = try #require(exchange.payload)
        #expect(payload.ipAddress == "unknown")
        #expect(payload.networkUserId == "00000000-0000-0000-0000-000000000000")
        #expect(payload.headers?.contains { $0.hasPrefix("X-Forwarded-For") || $0.hasPrefix("X-Real-Ip") || $0.hasPrefix("Cookie") } == false)
        #expect(payload.headers?.contains("SP-Anonymous: *") == true)
        #expect(header(exchange, "Set-Cookie") == ["sp=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; SameSite=None; Secure; HttpOnly"], "an existing cookie is expired")
        let withoutCookie = decide(head(.GET, "/i?e=pv", [("SP-Anonymous", "*")]))
        #expect(header(withoutCookie, "Set-Cookie").isEmpty, "no cookie is set for anonymous requests")
    }

    @Test func doNotTrackCookieAnswersButRecordsNothing() throws {
        var configuration = CollectorConfiguration()
        configuration.doNotTrackCookie = try DoNotTrackCookie(name: "dnt", valuePattern: "yes|1")
        let tracked = decide(head(.GET, "/i?e=pv", [("Cookie", "dnt=no")]), configuration: configuration)
        #expect(tracked.payload != nil)
        let opted = decide(head(.GET, "/i?e=pv", [("Cookie", "dnt=yes")]), configuration: configuration)
        #expect(opted.payload == nil)
        #expect(opted.status == .ok)
        #expect(opted.body == .pixel)
        #expect(header(opted, "Set-Cookie").isEmpty)
    }

    @Test func cookieDisabledSetsNoCookieAndIgnoresIt() throws {
        var configuration = CollectorConfiguration()
        configuration.cookie.enabled = false
        let exchange = decide(head(.GET, "/i?e=pv", [("Cookie", "sp=old")]), configuration: configuration)
        #expect(header(exchange, "Set-Cookie").isEmpty)
        #expect(exchange.payload?.networkUserId != "old")
    }

    @Test func cookieBounce() throws {
        var configuration = CollectorConfiguration()
        configuration.cookieBounce = CookieBounce()
        let first = decide(head(.GET, "/i?e=pv", [("Host", "c.example.com")]), configuration: configuration)
        #expect(first.status == .found)
        #expect(header(first, "Location") == ["http://c.example.com/i?e=pv&n3pc=true"])
        #expect(first.payload == nil, "the first hop records nothing")
        #expect(header(first, "Set-Cookie").count == 1)
        let lost = decide(head(.GET, "/i?e=pv&n3pc=true", [("Host", "c.example.com")]), configuration: configuration)
        #expect(lost.payload?.networkUserId == "00000000-0000-4000-A000-000000000000", "the cookie did not stick: fallback id")
        let kept = decide(head(.GET, "/i?e=pv&n3pc=true", [("Host", "c.example.com"), ("Cookie", "sp=kept")]), configuration: configuration)
        #expect(kept.payload?.networkUserId == "kept")
        let known = decide(head(.GET, "/i?e=pv", [("Cookie", "sp=kept")]), configuration: configuration)
        #expect(known.status == .ok, "no bounce when the cookie is already there")
    }

    @Test func redirects() throws {
        var configuration = CollectorConfiguration()
        configuration.router.enableDefaultRedirect = true
        let ok = decide(head(.GET, "/r/tp2?u=https%3A%2F%2Fwww.example.com%2Fpage%3Fa%3D1&e=pv"), configuration: configuration)
        #expect(ok.status == .found)
        #expect(header(ok, "Location") == ["https://www.example.com/page?a=1"])
        #expect(ok.payload?.path == "/r/tp2")
        #expect(decide(head(.GET, "/r/tp2?e=pv"), configuration: configuration).status == .badRequest)
        #expect(decide(head(.GET, "/r/tp2?u=javascript%3Aalert(1)"), configuration: configuration).status == .badRequest)
        #expect(decide(head(.GET, "/r/tp2?u=not-a-url"), configuration: configuration).status == .badRequest)
        configuration.redirectDomains = ["example.com"]
        #expect(decide(head(.GET, "/r/tp2?u=https%3A%2F%2Fevil.io%2F"), configuration: configuration).status == .badRequest)
        #expect(decide(head(.GET, "/r/tp2?u=https%3A%2F%2Fshop.example.com%2F"), configuration: configuration).status == .found)
        let disabled = decide(head(.GET, "/r/tp2?u=https%3A%2F%2Fshop.example.com%2F"))
        #expect(disabled.status == .notFound)
        #expect(disabled.body == .text("redirects disabled"))
        #expect(disabled.payload == nil)
    }

    @Test func preflightAndFixedAnswers() throws {
        let preflight = decide(head(.OPTIONS, "/com.snowplowanalytics.snowplow/tp2", [("Origin", "https://a.example")]))
        #expect(preflight.status == .ok)
        #expect(header(preflight, "Access-Control-Allow-Origin") == ["https://a.example"])
        #expect(header(preflight, "Access-Control-Allow-Credentials") == ["true"])
        #expect(header(preflight, "Access-Control-Allow-Headers") == ["Content-Type, SP-Anonymous"])
        #expect(header(preflight, "Access-Control-Max-Age") == ["3600"])
        #expect(preflight.payload == nil)
        #expect(header(decide(head(.OPTIONS, "/i")), "Access-Control-Allow-Origin") == ["*"])
        #expect(decide(head(.GET, "/health")).body == .text("ok"))
        #expect(decide(head(.GET, "/robots.txt")).body == .text("User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nDisallow: /\n\nUser-agent: AdsBot-Google\nDisallow: /"))
        var configuration = CollectorConfiguration()
        configuration.router.crossDomainEnabled = true
        configuration.crossDomainDomains = ["*.acme.com", "example.org"]
        #expect(decide(head(.GET, "/crossdomain.xml"), configuration: configuration).body == .text(
            "<?xml version=\"1.0\"?>\n<cross-domain-policy>\n<allow-access-from domain=\"*.acme.com\" secure=\"true\" />\n<allow-access-from domain=\"example.org\" secure=\"true\" />\n</cross-domain-policy>"))
        configuration.router.rootResponseEnabled = true
        configuration.rootResponseHeaders = [("Location", "https://acme.com")]
        let root = decide(head(.GET, "/"), configuration: configuration)
        #expect(root.status == .found)
        #expect(header(root, "Location") == ["https://acme.com"])
        #expect(decide(head(.GET, "/nothing/here/at/all")).status == .notFound)
    }

    @Test func theEncodedLineDecodesBackToThePayload() throws {
        let exchange = decide(head(.GET, "/i?e=pv&page=%C3%A9t%C3%A9%20%F0%9F%98%80", [("User-Agent", "Ünïcode 😀")]))
        let payload = try #require(exchange.payload)
        let line = CollectorPayloadLogLine.encode(payload)
        #expect(try CollectorPayloadLogLine.decode(line).get() == payload)
    }
}
