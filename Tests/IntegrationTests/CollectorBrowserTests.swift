import Foundation
import FreshetTestSupport
import Shared
import Testing

/// A real browser (headless Chromium) on a page served from another origin talks to the collector the
/// way Snowplow's JavaScript tracker does: a credentialed cross-origin POST (which needs a CORS
/// preflight) and then a pixel GET, which must carry back the `sp` cookie the POST's answer set.
@Suite(.serialized) struct CollectorBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Serves `page.html` on a free port of `localhost`, runs Chromium on it, prints the DOM.
    static let browserScript = """
        import http.server, socketserver, subprocess, sys, threading
        collector, chromium = sys.argv[1], sys.argv[2]
        page = '''<!doctype html><html><body><script>
        const collector = "http://localhost:%s";
        fetch(collector + "/com.snowplowanalytics.snowplow/tp2", {
          method: "POST", credentials: "include",
          headers: {"Content-Type": "application/json; charset=UTF-8"},
          body: JSON.stringify({schema: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4",
                                data: [{e: "pv", tv: "js-browser-test", p: "web", eid: "aaaaaaaa-1111-4222-8333-444455556666"}]})
        }).then(r => r.text()).then(text => {
          document.body.insertAdjacentHTML("beforeend", "<p>post:" + text + "</p>");
          const img = new Image();
          img.onload = () => document.body.insertAdjacentHTML("beforeend", "<p>pixel:loaded</p>");
          img.onerror = () => document.body.insertAdjacentHTML("beforeend", "<p>pixel:error</p>");
          img.src = collector + "/i?e=pv&tv=js-browser-test&p=web&eid=bbbbbbbb-1111-4222-8333-444455556666";
        }).catch(e => document.body.insertAdjacentHTML("beforeend", "<p>post:failed " + e + "</p>"));
        </script></body></html>''' % collector
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args): pass
        server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://localhost:{server.server_address[1]}/page.html"
        result = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                 "--user-data-dir=" + sys.argv[3], "--virtual-time-budget=15000", "--dump-dom", url],
                                capture_output=True, text=True, timeout=120)
        print(result.stdout)
        server.shutdown()
        """

    @Test(.enabled(if: chromium != nil, "needs Debian's chromium (installed by the bootstrap)"))
    func crossOriginPostThenPixelCarriesTheCookieBack() throws {
        let collector = try CollectorUnderTest()
        let profile = NSTemporaryDirectory() + "freshet-chromium-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let output = try ChildProcess.python(Self.browserScript, arguments: [String(collector.port), Self.chromium!, profile])
        #expect(output.stdoutText.contains("post:ok"), "the preflight and the credentialed POST passed: \(output.stdoutText) \(output.stderrText)")
        #expect(output.stdoutText.contains("pixel:loaded"))

        let records = try collector.stopAndReadRecords()
        let post = try #require(records.payloads.first { $0.path == "/com.snowplowanalytics.snowplow/tp2" })
        let pixel = try #require(records.payloads.first { $0.path == "/i" })
        #expect(post.body?.contains("aaaaaaaa-1111-4222-8333-444455556666") == true)
        #expect(post.headers?.contains { $0.hasPrefix("Origin: http://localhost:") } == true)
        let cookieHeader = try #require(pixel.headers?.first { $0.hasPrefix("Cookie: ") }, "the pixel request carried the cookie")
        #expect(cookieHeader.contains("sp=\(post.networkUserId ?? "-")"))
        #expect(pixel.networkUserId == post.networkUserId, "the browser kept the id the collector issued")
    }
}
