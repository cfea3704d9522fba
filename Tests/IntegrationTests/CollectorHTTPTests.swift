import Foundation
import FreshetTestSupport
import Shared
import Testing

/// The collector over real sockets: routes, headers, cookies, limits and shutdown, against the built
/// executable, with curl and Python sockets as clients.
@Suite(.serialized) struct CollectorHTTPTests {
    @Test func routesAnswerLikeSnowplowsCollector() throws {
        let collector = try CollectorUnderTest()
        let pixel = try collector.curl(["\(collector.base)/i?e=pv&eid=d3b2a9f1-1111-4222-8333-444455556666", "-H", "Origin: https://shop.example.com"])
        #expect(pixel.status == 200)
        #expect(pixel.headers.headerValues("Content-Type") == ["image/gif"])
        #expect(pixel.headers.headerValues("Cache-Control") == ["no-cache, no-store, must-revalidate"])
        #expect(pixel.headers.headerValues("Access-Control-Allow-Origin") == ["https://shop.example.com"])
        #expect(pixel.headers.headerValues("Access-Control-Allow-Credentials") == ["true"])
        #expect(pixel.body.base64EncodedString() == "R0lGODlhAQABAPAAAP///wAAACH5BAUAAAAALAAAAAABAAEAAAICRAEAOw==")
        let cookie = try #require(pixel.headers.headerValues("Set-Cookie").first)
        #expect(cookie.hasPrefix("sp="))
        #expect(cookie.contains("; Path=/; SameSite=None; Secure; HttpOnly"))
        let networkUserId = String(cookie.dropFirst(3).prefix(36))

        let head = try collector.curl(["-I", "\(collector.base)/ice.png?e=pv", "-H", "Cookie: sp=\(networkUserId)"])
        #expect(head.status == 200)
        #expect(head.headers.headerValues("Content-Length") == ["43"])
        #expect(!String(decoding: head.body, as: UTF8.self).contains("GIF89a"), "HEAD answers carry no body")

        let post = try collector.curl([
            "\(collector.base)/com.snowplowanalytics.snowplow/tp2", "-H", "Content-Type: application/json; charset=UTF-8",
            "--data-binary", #"{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":[{"e":"pv","tv":"t","p":"web"}]}"#,
        ])
        #expect(post.status == 200)
        #expect(String(decoding: post.body, as: UTF8.self) == "ok")

        let preflight = try collector.curl(["-X", "OPTIONS", "\(collector.base)/com.snowplowanalytics.snowplow/tp2", "-H", "Origin: https://a.example"])
        #expect(preflight.status == 200)
        #expect(preflight.headers.headerValues("Access-Control-Allow-Headers") == ["Content-Type, SP-Anonymous"])
        #expect(preflight.headers.headerValues("Access-Control-Max-Age") == ["3600"])

        #expect(try collector.curl(["\(collector.base)/health"]).body == Data("ok".utf8))
        #expect(try collector.curl(["\(collector.base)/robots.txt"]).body.starts(with: Data("User-agent: *".utf8)))
        #expect(try collector.curl(["\(collector.base)/not/a/route"]).status == 404)
        let redirect = try collector.curl(["\(collector.base)/r/tp2?u=https%3A%2F%2Fexample.com"])
        #expect(redirect.status == 404)
        #expect(String(decoding: redirect.body, as: UTF8.self) == "redirects disabled")

        let adminPort = try collector.service.adminPort()
        let metrics = String(decoding: try collector.curl(["http://127.0.0.1:\(adminPort)/metrics"]).body, as: UTF8.self)
        #expect(metrics.contains(#"freshet_collector_requests_total{route="pixel",status="200"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"freshet_collector_requests_total{route="tracking",status="200"} 1"#))
        #expect(metrics.contains(#"freshet_collector_requests_total{route="redirects_disabled",status="404"} 1"#))
        #expect(metrics.contains(#"freshet_records_received_total{service="collector",source="http"} 3"#))
        let ready = try collector.curl(["http://127.0.0.1:\(adminPort)/ready"])
        #expect(ready.status == 200)
        #expect(String(decoding: ready.body, as: UTF8.self).contains("log-directory: ok"))

        let records = try collector.stopAndReadRecords()
        #expect(records.payloads.map(\.path) == ["/i", "/ice.png", "/com.snowplowanalytics.snowplow/tp2"])
        #expect(records.payloads[0].networkUserId == networkUserId)
        #expect(records.payloads[1].networkUserId == networkUserId, "the cookie sent back is the id recorded")
        #expect(records.payloads[2].contentType == "application/json; charset=utf-8")
        #expect(records.payloads.allSatisfy { $0.ipAddress == "127.0.0.1" })
        #expect(records.badRows.isEmpty)
    }

    @Test func limits() throws {
        let collector = try CollectorUnderTest(arguments: [
            "--max-body-bytes", "4000", "--max-payload-bytes", "1000", "--max-request-line-bytes", "2000", "--max-header-bytes", "3000",
        ])
        let tooBig = try collector.curl(["\(collector.base)/com.acme/v1", "--data-binary", String(repeating: "x", count: 5000)])
        #expect(tooBig.status == 413)
        let oversized = try collector.curl(["\(collector.base)/com.acme/v1", "--data-binary", String(repeating: "y", count: 2000)])
        #expect(oversized.status == 200, "over the payload limit the tracker still gets its 200")
        #expect(try collector.curl(["\(collector.base)/i?e=pv&x=" + String(repeating: "a", count: 2500)]).status == 414)
        #expect(try collector.curl(["\(collector.base)/i?e=pv", "-H", "X-Big: " + String(repeating: "b", count: 3500)]).status == 431)
        #expect(try collector.curl(["\(collector.base)/i?e=pv"]).status == 200)

        let records = try collector.stopAndReadRecords()
        #expect(records.payloads.count == 1, "413/414/431 record nothing")
        #expect(records.badRows.count == 1)
        let badRow = try #require(records.badRows.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(badRow.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "iglu:com.snowplowanalytics.snowplow.badrows/size_violation/jsonschema/1-0-0")
        let data = try #require(object["data"] as? [String: Any])
        let failure = try #require(data["failure"] as? [String: Any])
        #expect(failure["maximumAllowedSizeBytes"] as? Int == 1000)
        #expect((failure["actualSizeBytes"] as? Int ?? 0) > 2000)
        #expect((data["payload"] as? String)?.count == 100, "the payload is cut to a tenth of the limit")
    }

    @Test func pipelinedAndChunkedRequestsAreAnsweredInOrder() throws {
        let collector = try CollectorUnderTest()
        let script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.settimeout(20)
            s.sendall(b"GET /i?e=pv&n=1 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"
                      b"POST /com.acme/v1 HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nhel\\r\\n2\\r\\nlo\\r\\n0\\r\\n\\r\\n"
                      b"HEAD /i?e=pv&n=3 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"
                      b"GET /health HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
            data = b""
            for method in ["GET", "POST", "HEAD", "GET"]:
                while b"\\r\\n\\r\\n" not in data:
                    data += s.recv(4096)
                head, data = data.split(b"\\r\\n\\r\\n", 1)
                lines = head.decode().split("\\r\\n")
                length = int(next(l.split(":")[1] for l in lines if l.lower().startswith("content-length:")))
                if method == "HEAD": length = 0
                while len(data) < length:
                    data += s.recv(4096)
                body, data = data[:length], data[length:]
                print(lines[0], len(body))
            """
        let output = try ChildProcess.python(script, arguments: [String(collector.port)])
        #expect(output.stdoutText == "HTTP/1.1 200 OK 43\nHTTP/1.1 200 OK 2\nHTTP/1.1 200 OK 0\nHTTP/1.1 200 OK 2\n", "\(output.stderrText)")
        let records = try collector.stopAndReadRecords()
        #expect(records.payloads.map(\.querystring) == ["e=pv&n=1", nil, "e=pv&n=3"])
        #expect(records.payloads[1].body == "hello", "the chunked body, joined")
    }

    @Test func slowAndIdleClientsAreCutOff() throws {
        let collector = try CollectorUnderTest(arguments: ["--header-timeout", "1s", "--idle-timeout", "2s"])
        defer { collector.service.stop() }
        let script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.settimeout(20)
            s.sendall(b"GET /i?e=pv HTTP/1.1\\r\\nHost: x\\r\\n")  # the head never completes
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk: break
                data += chunk
            print(data.split(b"\\r\\n")[0].decode())
            idle = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            idle.settimeout(20)
            print("idle closed" if idle.recv(1) == b"" else "idle got data")
            """
        let output = try ChildProcess.python(script, arguments: [String(collector.port)])
        #expect(output.stdoutText == "HTTP/1.1 408 Request Timeout\nidle closed\n", "\(output.stderrText)")
    }

    @Test func connectionsBeyondTheLimitAreClosed() throws {
        let collector = try CollectorUnderTest(arguments: ["--max-connections", "2"])
        defer { collector.service.stop() }
        let script = """
            import socket, sys, time
            port = int(sys.argv[1])
            kept = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
            for s in kept:
                s.settimeout(20)
                s.sendall(b"GET /health HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
                print(s.recv(4096).split(b"\\r\\n")[0].decode())
            extra = socket.create_connection(("127.0.0.1", port))
            extra.settimeout(20)
            try:
                extra.sendall(b"GET /health HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
                print("extra closed" if extra.recv(4096) == b"" else "extra served")
            except ConnectionResetError:
                print("extra closed")
            kept[0].sendall(b"GET /health HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
            print(kept[0].recv(4096).split(b"\\r\\n")[0].decode())
            """
        let output = try ChildProcess.python(script, arguments: [String(collector.port)])
        #expect(output.stdoutText == "HTTP/1.1 200 OK\nHTTP/1.1 200 OK\nextra closed\nHTTP/1.1 200 OK\n", "\(output.stderrText)")
    }

    @Test func gracefulShutdownAnswersInFlightRequestsAndExitsZero() throws {
        let collector = try CollectorUnderTest()
        for index in 0..<50 {
            #expect(try collector.curl(["\(collector.base)/i?e=pv&n=\(index)"]).status == 200)
        }
        #expect(collector.service.stop(signal: SIGTERM) == 0)
        #expect(collector.service.log.contains("log files flushed and synced"))
        let records = try CollectorUnderTest.readRecords(in: collector.logDirectory)
        #expect(records.payloads.count == 50)
    }
}
