import NIOCore
import NIOHTTP1
import Testing

@testable import Collector

@Suite struct CollectorHTTPParserTests {
    /// A request as the parser reports it: the head, the body's bytes joined, and whether it ended.
    struct Request: Equatable, CustomStringConvertible {
        var head: HTTPRequestHead
        var body: [UInt8] = []
        var ended = false
        var description: String {
            "\(head.method) \(head.uri) \(head.headers) body=\(String(decoding: body, as: UTF8.self)) ended=\(ended)"
        }
    }

    /// Feeds `pieces` one after another into one buffer (as reads of a connection would) and collects
    /// every request part; the error, if the bytes are refused.
    static func parse(_ pieces: [[UInt8]], maxRequestLineBytes: Int = 2000, maxHeaderBytes: Int = 3000) -> (
        requests: [Request], error: CollectorHTTPParser.ParseError?
    ) {
        var parser = CollectorHTTPParser(maxRequestLineBytes: maxRequestLineBytes, maxHeaderBytes: maxHeaderBytes)
        var buffer = ByteBuffer()
        var requests: [Request] = []
        for piece in pieces {
            buffer.writeBytes(piece)
            do {
                while let part = try parser.next(&buffer) {
                    switch part {
                    case .head(let head): requests.append(Request(head: head))
                    case .body(let chunk): requests[requests.count - 1].body += Array(chunk.readableBytesView)
                    case .end: requests[requests.count - 1].ended = true
                    }
                }
            } catch {
                return (requests, error)
            }
        }
        return (requests, nil)
    }

    static func parse(_ text: String, maxRequestLineBytes: Int = 2000, maxHeaderBytes: Int = 3000) -> (
        requests: [Request], error: CollectorHTTPParser.ParseError?
    ) {
        parse([Array(text.utf8)], maxRequestLineBytes: maxRequestLineBytes, maxHeaderBytes: maxHeaderBytes)
    }

    static let pipelined =
        "GET /i?e=pv&url=https%3A%2F%2Fa.example HTTP/1.1\r\nHost: c.example\r\nUser-Agent: UA/1.0\r\nCookie: sp=abc; x=1\r\n\r\n"
        + "POST /com.snowplowanalytics.snowplow/tp2 HTTP/1.1\r\nHost: c.example\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"e\":\"pv\"}\n"
        + "POST /com.acme/v1 HTTP/1.1\r\nHost: c.example\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"
        + "HEAD /ice.png HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
        + "OPTIONS /com.snowplowanalytics.snowplow/tp2 HTTP/1.1\r\nOrigin: https://a.example\r\n\r\n"

    static let expected: [Request] = [
        Request(
            head: HTTPRequestHead(
                version: .http1_1, method: .GET, uri: "/i?e=pv&url=https%3A%2F%2Fa.example",
                headers: HTTPHeaders([("Host", "c.example"), ("User-Agent", "UA/1.0"), ("Cookie", "sp=abc; x=1")])),
            ended: true),
        Request(
            head: HTTPRequestHead(
                version: .http1_1, method: .POST, uri: "/com.snowplowanalytics.snowplow/tp2",
                headers: HTTPHeaders([
                    ("Host", "c.example"), ("Content-Type", "application/json"), ("Content-Length", "11"),
                ])),
            body: Array("{\"e\":\"pv\"}\n".utf8), ended: true),
        Request(
            head: HTTPRequestHead(
                version: .http1_1, method: .POST, uri: "/com.acme/v1",
                headers: HTTPHeaders([("Host", "c.example"), ("Transfer-Encoding", "chunked")])),
            body: Array("abcd0123456789".utf8), ended: true),
        Request(
            head: HTTPRequestHead(
                version: .http1_0, method: .HEAD, uri: "/ice.png", headers: HTTPHeaders([("Connection", "keep-alive")])),
            ended: true),
        Request(
            head: HTTPRequestHead(
                version: .http1_1, method: .OPTIONS, uri: "/com.snowplowanalytics.snowplow/tp2",
                headers: HTTPHeaders([("Origin", "https://a.example")])),
            ended: true),
    ]

    @Test func pipelinedRequestsInOneRead() {
        let (requests, error) = Self.parse(Self.pipelined)
        #expect(error == nil)
        #expect(requests == Self.expected)
        #expect(
            requests[0].head.isKeepAlive && requests[3].head.isKeepAlive,
            "1.1 by default, 1.0 with Connection: keep-alive")
    }

    /// The parser reuses the previous request's parsed headers when the header section is byte-for-byte
    /// the same: repeated, changed and returning sections, and a repeated section that frames a body,
    /// must all give what a fresh parse gives.
    @Test func repeatedHeaderSectionsParseLikeFreshOnes() {
        let a = "Host: c.example\r\nCookie: sp=abc\r\n\r\n"
        let b = "Host: c.example\r\nCookie: sp=abd\r\n\r\n"
        let post = "Host: c.example\r\nContent-Length: 3\r\n\r\n"
        let text =
            "GET /i?n=1 HTTP/1.1\r\n" + a + "GET /i?n=2 HTTP/1.1\r\n" + a + "GET /i?n=3 HTTP/1.1\r\n" + b
            + "GET /i?n=4 HTTP/1.0\r\n" + a + "POST /com.acme/v1 HTTP/1.1\r\n" + post + "abc"
            + "POST /com.acme/v1 HTTP/1.1\r\n" + post + "xyz" + "GET /i?n=5 HTTP/1.1\r\n" + a
        let (requests, error) = Self.parse(text)
        #expect(error == nil)
        let headersA = HTTPHeaders([("Host", "c.example"), ("Cookie", "sp=abc")])
        let headersB = HTTPHeaders([("Host", "c.example"), ("Cookie", "sp=abd")])
        let headersPost = HTTPHeaders([("Host", "c.example"), ("Content-Length", "3")])
        #expect(
            requests == [
                Request(
                    head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/i?n=1", headers: headersA),
                    ended: true),
                Request(
                    head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/i?n=2", headers: headersA),
                    ended: true),
                Request(
                    head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/i?n=3", headers: headersB),
                    ended: true),
                Request(
                    head: HTTPRequestHead(version: .http1_0, method: .GET, uri: "/i?n=4", headers: headersA),
                    ended: true),
                Request(
                    head: HTTPRequestHead(version: .http1_1, method: .POST, uri: "/com.acme/v1", headers: headersPost),
                    body: Array("abc".utf8), ended: true),
                Request(
                    head: HTTPRequestHead(version: .http1_1, method: .POST, uri: "/com.acme/v1", headers: headersPost),
                    body: Array("xyz".utf8), ended: true),
                Request(
                    head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/i?n=5", headers: headersA),
                    ended: true),
            ])
        #expect(
            requests.map { $0.head.headers["Cookie"] } == [
                ["sp=abc"], ["sp=abc"], ["sp=abd"], ["sp=abc"], [], [], ["sp=abc"],
            ])
        #expect(!requests[3].head.isKeepAlive, "the 1.0 request is not keep-alive although its headers were reused")
    }

    /// A bad request line is refused even when its header section equals the previous (reused) one.
    @Test func reusedHeaderSectionStillChecksTheRequestLine() {
        let headers = "Host: c.example\r\n\r\n"
        let (requests, error) = Self.parse("GET /i HTTP/1.1\r\n" + headers + "GET /i HTTP/2.0\r\n" + headers)
        #expect(requests.count == 1)
        #expect(error == .badRequest("malformed request line"))
    }

    @Test func pipelinedRequestsSplitAtEveryByteBoundary() {
        let bytes = Array(Self.pipelined.utf8)
        for split in 1..<bytes.count {
            let (requests, error) = Self.parse([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(error == nil, "split at \(split)")
            #expect(requests == Self.expected, "split at \(split)")
        }
    }

    @Test func pipelinedRequestsArrivingOneByteAtATime() {
        let (requests, error) = Self.parse(Self.pipelined.utf8.map { [$0] })
        #expect(error == nil)
        #expect(requests == Self.expected)
    }

    @Test func bareLineFeedsAndEmptyLinesBetweenRequestsAreAccepted() {
        let (requests, error) = Self.parse(
            "GET /i HTTP/1.1\nHost: x\n\n\r\nGET /health HTTP/1.1\r\nHost:   y \t\r\n\r\n")
        #expect(error == nil)
        #expect(requests.map(\.head.uri) == ["/i", "/health"])
        #expect(requests[1].head.headers["Host"] == ["y"], "the value is trimmed of spaces and tabs")
        #expect(requests.allSatisfy { $0.ended })
    }

    @Test func incompleteRequestsWaitForMoreBytes() {
        for text in [
            "GET /i HTTP/1.1\r\nHost: x\r\n", "POST /a/b HTTP/1.1\r\nContent-Length: 5\r\n\r\nabc",
            "POST /a/b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        ] {
            let (requests, error) = Self.parse(text)
            #expect(error == nil)
            #expect(requests.allSatisfy { !$0.ended }, "\(text)")
        }
    }

    @Test func malformedRequestLinesAreRefused() {
        for line in [
            "GET\r\n", "GET /i\r\n", "GET  /i HTTP/1.1\r\n", "GET /i HTTP/2.0\r\n", "GET /i HTTP/1.1 extra\r\n",
            "GET /i HTTX/1.1\r\n",
            "G(T /i HTTP/1.1\r\n", "GET /a\u{01}b HTTP/1.1\r\n", " GET /i HTTP/1.1\r\n", "GET /i HTTP/1.12\r\n",
        ] {
            let (requests, error) = Self.parse(line + "Host: x\r\n\r\n")
            #expect(requests.isEmpty, "\(line.debugDescription)")
            #expect(error?.status == .badRequest, "\(line.debugDescription)")
        }
    }

    @Test func malformedHeadersAndFramingAreRefused() {
        for head in [
            "Host x\r\n", ": x\r\n", "Ho st: x\r\n", "Host : x\r\n", "Host: x\r\n folded\r\n", "X: a\u{01}b\r\n",
            "X: a\rb\r\n",
            "Content-Length: abc\r\n", "Content-Length: -1\r\n", "Content-Length: 1\r\nContent-Length: 2\r\n",
            "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip\r\n",
        ] {
            let (requests, error) = Self.parse("POST /a/b HTTP/1.1\r\n" + head + "\r\nabc")
            #expect(requests.isEmpty, "\(head.debugDescription)")
            #expect(error?.status == .badRequest, "\(head.debugDescription)")
        }
    }

    @Test func malformedChunksAreRefused() {
        for chunks in ["x\r\nab\r\n", "\r\n", "2\r\nabc\r\n0\r\n\r\n", "1000000000000000\r\n", "2 ;\r\nab\rX\r\n"] {
            let (requests, error) = Self.parse("POST /a/b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
            #expect(requests.count == 1 && !requests[0].ended, "\(chunks.debugDescription)")
            #expect(error?.status == .badRequest, "\(chunks.debugDescription)")
        }
    }

    @Test func equalRepeatedContentLengthsAreOneLength() {
        let (requests, error) = Self.parse(
            "POST /a/b HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nokGET /i HTTP/1.1\r\n\r\n")
        #expect(error == nil)
        #expect(requests.map(\.body) == [Array("ok".utf8), []])
    }

    @Test func requestLineLimit() {
        let fits = "GET /" + String(repeating: "a", count: 85) + " HTTP/1.1"  // 99 bytes
        #expect(Self.parse(fits + "\r\n\r\n", maxRequestLineBytes: 99).error == nil)
        let long = "GET /" + String(repeating: "a", count: 86) + " HTTP/1.1"
        #expect(Self.parse(long + "\r\n\r\n", maxRequestLineBytes: 99).error == .requestLineTooLong)
        // Refused before the line ends: what a connection buffers stays bounded.
        #expect(
            Self.parse("GET /" + String(repeating: "a", count: 200), maxRequestLineBytes: 99).error
                == .requestLineTooLong)
        #expect(
            Self.parse("GET /" + String(repeating: "a", count: 90), maxRequestLineBytes: 99).error == nil,
            "not over the limit yet")
    }

    @Test func headerSectionLimit() {
        let header = "X-A: " + String(repeating: "b", count: 93) + "\r\n"  // 100 bytes with its CRLF
        #expect(Self.parse("GET /i HTTP/1.1\r\n" + header + header + "\r\n", maxHeaderBytes: 200).error == nil)
        #expect(
            Self.parse("GET /i HTTP/1.1\r\n" + header + header + "X: y\r\n\r\n", maxHeaderBytes: 200).error
                == .headersTooLarge)
        // Refused before the head ends.
        #expect(
            Self.parse("GET /i HTTP/1.1\r\n" + String(repeating: header, count: 5), maxHeaderBytes: 200).error
                == .headersTooLarge)
        #expect(
            Self.parse("GET /i HTTP/1.1\r\nX: " + String(repeating: "b", count: 500), maxHeaderBytes: 200).error
                == .headersTooLarge)
        // Trailers of a chunked body count against the same limit.
        let chunked = "POST /a/b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        #expect(Self.parse(chunked + header + "\r\n", maxHeaderBytes: 200).error == nil)
        #expect(Self.parse(chunked + header + header + header + "\r\n", maxHeaderBytes: 200).error == .headersTooLarge)
    }

    @Test func chunkSizes() throws {
        #expect(try CollectorHTTPParser.chunkSize(Array("0".utf8)) == 0)
        #expect(try CollectorHTTPParser.chunkSize(Array("1aF".utf8)) == 0x1AF)
        #expect(try CollectorHTTPParser.chunkSize(Array("10;name=value".utf8)) == 16)
        #expect(throws: CollectorHTTPParser.ParseError.self) { try CollectorHTTPParser.chunkSize(Array("".utf8)) }
        #expect(throws: CollectorHTTPParser.ParseError.self) { try CollectorHTTPParser.chunkSize(Array(";x".utf8)) }
        #expect(throws: CollectorHTTPParser.ParseError.self) {
            try CollectorHTTPParser.chunkSize(Array("fffffffffffffffff".utf8))
        }
    }

    @Test func unknownMethodsAreParsedForTheRouterToRefuse() {
        let (requests, error) = Self.parse("PROPFIND /i HTTP/1.1\r\n\r\n")
        #expect(error == nil)
        #expect(requests.first?.head.method == .RAW(value: "PROPFIND"))
    }
}
