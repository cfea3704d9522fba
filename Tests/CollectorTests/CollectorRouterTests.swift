import Testing

@testable import Collector

@Suite struct CollectorRouterTests {
    let router: CollectorRouter = {
        var router = CollectorRouter()
        router.pathMappings = ["/com.acme/track": "/com.snowplowanalytics.snowplow/tp2", "/com.acme/click": "/r/tp2"]
        return router
    }()

    @Test func trackerProtocolRoutes() {
        #expect(router.route(method: .get, path: "/i") == .pixel(path: "/i"))
        #expect(router.route(method: .head, path: "/ice.png") == .pixel(path: "/ice.png"))
        #expect(router.route(method: .post, path: "/com.snowplowanalytics.snowplow/tp2") == .tracking(path: "/com.snowplowanalytics.snowplow/tp2"))
        #expect(router.route(method: .get, path: "/com.snowplowanalytics.snowplow/tp2") == .pixel(path: "/com.snowplowanalytics.snowplow/tp2"))
        #expect(router.route(method: .post, path: "/com.mailchimp/v1") == .tracking(path: "/com.mailchimp/v1"))
        #expect(router.route(method: .post, path: "/i") == .notFound)
    }

    @Test func customPathsRecordTheCanonicalPath() {
        #expect(router.route(method: .post, path: "/com.acme/track") == .tracking(path: "/com.snowplowanalytics.snowplow/tp2"))
        #expect(router.route(method: .get, path: "/com.acme/track") == .pixel(path: "/com.snowplowanalytics.snowplow/tp2"))
        #expect(router.route(method: .get, path: "/com.acme/click") == .redirect(path: "/r/tp2"), "a custom redirect path works even with default redirects off")
    }

    @Test func redirectsAreOffByDefault() {
        #expect(router.route(method: .get, path: "/r/tp2") == .redirectsDisabled)
        #expect(router.route(method: .get, path: "/r/anything") == .redirectsDisabled)
        var enabled = router
        enabled.enableDefaultRedirect = true
        #expect(enabled.route(method: .get, path: "/r/tp2") == .redirect(path: "/r/tp2"))
    }

    @Test func fixedRoutes() {
        #expect(router.route(method: .options, path: "/anything/at/all") == .preflight)
        #expect(router.route(method: .get, path: "/health") == .health)
        #expect(router.route(method: .get, path: "/robots.txt") == .robots)
        #expect(router.route(method: .get, path: "/crossdomain.xml") == .notFound)
        #expect(router.route(method: .get, path: "/") == .notFound)
        var enabled = router
        enabled.crossDomainEnabled = true
        enabled.rootResponseEnabled = true
        #expect(enabled.route(method: .get, path: "/crossdomain.xml") == .crossDomain)
        #expect(enabled.route(method: .get, path: "/") == .root)
    }

    @Test func anythingElseIsNotFound() {
        #expect(router.route(method: .get, path: "/a/b/c") == .notFound)
        #expect(router.route(method: .get, path: "/single") == .notFound)
        #expect(router.route(method: .other, path: "/com.acme/v1") == .notFound)
        #expect(router.route(method: .post, path: "//v1") == .notFound)
    }
}
