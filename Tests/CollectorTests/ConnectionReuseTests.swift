import NIOCore
import NIOHTTP1
import Testing

@testable import Collector
@testable import Shared

/// The per-connection reuse (parsed headers, header facts, stored header lines) against a fresh
/// computation of every request: a connection whose requests repeat, change and return to a header
/// section — anonymous, with another cookie, another content type — must decide exactly what each
/// request decided alone.
@Suite struct ConnectionReuseTests {
    let now: Int64 = 1_764_000_000_123

    static let sections = [
        "Host: c.example:8080\r\nUser-Agent: UA 1\r\nCookie: sp=11111111-2222-4333-8444-555555555555; _ga=1\r\nOrigin: https://shop.example\r\n\r\n",
        "Host: c.example:8080\r\nUser-Agent: UA 1\r\nCookie: sp=99999999-2222-4333-8444-555555555555\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n",
        "Host: c.example:8080\r\nUser-Agent: UA 1\r\nCookie: sp=11111111-2222-4333-8444-555555555555\r\nSP-Anonymous: *\r\nX-Real-Ip: 1.2.3.4\r\n\r\n",
        "Host: c.example\r\nContent-Type: Application/JSON\r\nCookie: sp=22222222-2222-4333-8444-555555555555\r\nContent-Length: 2\r\n\r\n",
    ]

    @Test func reusedHeadersDecideLikeFreshOnes() throws {
        let configuration = CollectorConfiguration()
        // Each section twice in a row, then back to earlier ones.
        let order = [0, 0, 1, 1, 0, 2, 2, 0, 3, 3, 1, 0]
        var text = ""
        for (n, index) in order.enumerated() {
            let method = index == 3 ? "POST /com.snowplowanalytics.snowplow/tp2" : "GET /i?e=pv&n=\(n)"
            text += "\(method) HTTP/1.1\r\n" + Self.sections[index] + (index == 3 ? "{}" : "")
        }
        var parser = CollectorHTTPParser(maxRequestLineBytes: 2000, maxHeaderBytes: 3000)
        var buffer = ByteBuffer(string: text)
        let memo = ConnectionMemo()
        var generations: [Int] = []
        var decided = 0
        var head: HTTPRequestHead?
        var body: ByteBuffer?
        while let part = try parser.next(&buffer) {
            switch part {
            case .head(let h):
                head = h
                body = nil
                generations.append(parser.headerSectionGeneration)
            case .body(let chunk): body = chunk
            case .end:
                let head = try #require(head)
                let method: CollectorRouter.Method = head.method == .POST ? .post : .get
                let route = configuration.router.route(method: method, path: CollectorExchange.targetPath(head.uri))
                let reused = CollectorExchange.decide(
                    route: route, head: head, body: body, peer: "198.51.100.4", nowMilliseconds: now,
                    configuration: configuration,
                    memo: memo, headerGeneration: generations.last)
                // The oracle: the same request decided alone, its head built from its own bytes.
                var fresh = CollectorHTTPParser(maxRequestLineBytes: 2000, maxHeaderBytes: 3000)
                let index = order[decided]
                var own = ByteBuffer(string: "\(head.method) \(head.uri) HTTP/1.1\r\n" + Self.sections[index])
                guard case .head(let freshHead) = try fresh.next(&own) else { Issue.record("no head"); return }
                let alone = CollectorExchange.decide(
                    route: route, head: freshHead, body: body, peer: "198.51.100.4", nowMilliseconds: now,
                    configuration: configuration)
                #expect(reused.status == alone.status, "request \(decided)")
                #expect(
                    reused.headers.map { "\($0.0): \($0.1)" } == alone.headers.map { "\($0.0): \($0.1)" },
                    "request \(decided)")
                #expect(reused.payload == alone.payload, "request \(decided)")
                #expect(alone.payload != nil, "request \(decided) is recorded")
                decided += 1
            }
        }
        #expect(decided == order.count)
        #expect(generations == [1, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8], "a fresh parse exactly when the section changes")
    }
}
