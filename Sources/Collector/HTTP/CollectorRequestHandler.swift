#if canImport(Glibc)
import Glibc
#endif
import Metrics
import NIOCore
import NIOHTTP1
import Shared

/// Serves one connection: reads each request, decides its ``CollectorExchange``, appends the payload (if
/// any) to the event loop's ``CollectorLogSink`` and answers only once the line reached the operating
/// system — or 503 when it could not be written, so the tracker retries.
///
/// The handler reads the connection's bytes itself with a ``CollectorHTTPParser`` (no HTTP decoder
/// stage in the pipeline) and encodes answers directly into one buffer written with one `write` (no
/// response encoder either): this handler runs for every tracked event. Bytes of pipelined requests
/// that arrive while an answer waits for the log are held unparsed (and reading paused) until it is
/// sent, so answers keep their order.
///
/// Threading: one instance per connection, confined to the connection's event loop.
final class CollectorRequestHandler: ChannelInboundHandler, RemovableChannelHandler, CollectorLogWaiter {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let configuration: CollectorConfiguration
    private let sink: CollectorLogSink
    private let metrics: CollectorMetrics
    private let slowClientGuard: SlowClientGuard
    private var context: ChannelHandlerContext?

    private var head: HTTPRequestHead?
    /// The parser's ``CollectorHTTPParser/headerSectionGeneration`` when `head` was parsed.
    private var headGeneration = 0
    private var route = CollectorRoute.notFound
    private var body: ByteBuffer?
    /// Set once an early answer (413, 414, 431) went out: the rest of the request is ignored.
    private var rejected = false
    /// The answer waiting for its payload's log write, and its request.
    private var waiting: (head: HTTPRequestHead, exchange: CollectorExchange)?
    /// Bytes read and not parsed yet: the rest of a request, or requests pipelined behind the one
    /// waiting for its log write.
    private var unparsed: ByteBuffer?
    private var parser: CollectorHTTPParser
    /// Set while reading is paused because an answer waits and more bytes are held.
    private var readingPaused = false
    private static let noBytes = ByteBuffer()
    /// Set on graceful shutdown: close once the request in progress is answered.
    private var quiescing = false
    /// The request counter used last: a connection mostly repeats the same route and status.
    private var lastRequestCounter: (route: String, status: UInt, counter: Counter)?
    /// The last answer sent and its bytes (see ``encodedAnswer(_:version:includeBody:keepAlive:context:)``).
    private var lastAnswer:
        (
            status: HTTPResponseStatus, headers: [(String, String)], body: CollectorExchange.Body, version: HTTPVersion,
            includeBody: Bool, keepAlive: Bool, bytes: ByteBuffer
        )?

    init(configuration: CollectorConfiguration, sink: CollectorLogSink, metrics: CollectorMetrics, slowClientGuard: SlowClientGuard) {
        self.configuration = configuration
        self.sink = sink
        self.metrics = metrics
        self.slowClientGuard = slowClientGuard
        self.parser = CollectorHTTPParser(maxRequestLineBytes: configuration.maxRequestLineBytes, maxHeaderBytes: configuration.maxHeaderBytes)
    }

    /// The client's address as text, read once per connection.
    private var peer: String?
    private let memo = ConnectionMemo()

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        peer = context.channel.remoteAddress?.ipAddress
    }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        guard !rejected else { return }  // the connection is closing after an early answer
        if unparsed == nil || unparsed!.readableBytes == 0 {
            unparsed = bytes
        } else {
            unparsed!.writeBuffer(&bytes)
        }
        if waiting != nil {
            // Hold the bytes until the waiting answer is sent; read no more meanwhile (bounded memory).
            if !readingPaused {
                readingPaused = true
                context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
            }
            return
        }
        parseAndHandle(context: context)
    }

    /// Handles every complete part in `unparsed` until the bytes run out, an answer must wait for the
    /// log, or the request is refused.
    private func parseAndHandle(context: ChannelHandlerContext) {
        while waiting == nil, !rejected {
            // An empty buffer when every byte is consumed: the parser may still have a part (the end
            // of a request whose last byte came with its head).
            var buffer = unparsed ?? Self.noBytes
            unparsed = nil  // unique, so the parser's reads do not copy
            let part: HTTPServerRequestPart?
            do {
                part = try parser.next(&buffer)
            } catch {
                failToParse(context: context, status: error.status)
                return
            }
            unparsed = buffer.readableBytes > 0 ? buffer : nil
            guard let part else {
                if let remaining = unparsed, remaining.readerIndex > 4096 {
                    // A head arriving in pieces: drop the consumed prefix now and then.
                    var compacted = remaining
                    compacted.discardReadBytes()
                    unparsed = compacted
                }
                return
            }
            handle(part, context: context)
        }
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let requestHead):
            slowClientGuard.headReceived()
            head = requestHead
            headGeneration = parser.headerSectionGeneration
            body = nil
            rejected = false
            route = configuration.router.route(method: Self.method(requestHead.method), path: CollectorExchange.targetPath(requestHead.uri))
            if let status = limitViolation(requestHead) {
                reject(context: context, status: status)
            }
        case .body(var chunk):
            guard !rejected else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > configuration.maxBodyBytes {
                reject(context: context, status: .payloadTooLarge)
                return
            }
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
        case .end:
            guard !rejected, let requestHead = head else { return }
            head = nil
            complete(context: context, head: requestHead)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // Graceful shutdown: an idle connection closes now; one mid-request closes after its answer.
        quiescing = true
        if head == nil, waiting == nil { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Bytes that are not a request: answer 400 (414 for a long request line, 431 for oversized
    /// headers) and close.
    private func failToParse(context: ChannelHandlerContext, status: HTTPResponseStatus) {
        rejected = true
        unparsed = nil
        guard context.channel.isActive else { return }
        let exchange = CollectorExchange(status: status, headers: [("Content-Type", "text/plain; charset=UTF-8")], body: .text(status.reasonPhrase))
        send(exchange, version: .http1_1, method: .GET, keepAlive: false, context: context)
    }

    private func limitViolation(_ head: HTTPRequestHead) -> HTTPResponseStatus? {
        if head.uri.utf8.count + 20 > configuration.maxRequestLineBytes { return .uriTooLong }
        var headerBytes = 0
        for (name, value) in head.headers { headerBytes += name.utf8.count + value.utf8.count + 4 }
        if headerBytes > configuration.maxHeaderBytes { return .requestHeaderFieldsTooLarge }
        if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > configuration.maxBodyBytes {
            return .payloadTooLarge
        }
        return nil
    }

    private func complete(context: ChannelHandlerContext, head: HTTPRequestHead) {
        var exchange = CollectorExchange.decide(
            route: route, head: head, body: body, peer: peer, nowMilliseconds: Self.epochMilliseconds(), configuration: configuration,
            memo: memo, headerGeneration: headGeneration)
        body = nil
        guard let payload = exchange.payload else {
            respond(context: context, head: head, exchange: exchange)
            return
        }
        exchange.payload = nil
        waiting = (head, exchange)
        sink.append(payload: payload, maxPayloadBytes: configuration.maxPayloadBytes, waiter: self)
    }

    /// Called by the sink, on this event loop, once the payload's line was written (or could not be).
    func logWriteCompleted(_ result: Result<Void, any Error>) {
        guard let (head, exchange) = waiting, let context else { return }
        waiting = nil
        switch result {
        case .success:
            metrics.recorded.increment()
            respond(context: context, head: head, exchange: exchange)
        case .failure:
            let unavailable = CollectorExchange(
                status: .serviceUnavailable, headers: [("Content-Type", "text/plain; charset=UTF-8"), ("Retry-After", "1")],
                body: .text("could not record the event; retry"))
            respond(context: context, head: head, exchange: unavailable)
        }
        // Requests pipelined behind this one, in order.
        parseAndHandle(context: context)
        if readingPaused, waiting == nil, !rejected {
            readingPaused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        }
    }

    private func reject(context: ChannelHandlerContext, status: HTTPResponseStatus) {
        guard let head else { return }
        rejected = true
        let exchange = CollectorExchange(status: status, headers: [("Content-Type", "text/plain; charset=UTF-8")], body: .text(status.reasonPhrase))
        respond(context: context, head: head, exchange: exchange, forceClose: true)
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, exchange: CollectorExchange, forceClose: Bool = false) {
        send(exchange, version: head.version, method: head.method, keepAlive: head.isKeepAlive && !forceClose && !quiescing, context: context)
    }

    private func send(_ exchange: CollectorExchange, version: HTTPVersion, method: HTTPMethod, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        countRequest(status: exchange.status.code)
        let buffer = encodedAnswer(exchange, version: version, includeBody: method != .HEAD, keepAlive: keepAlive, context: context)
        slowClientGuard.exchangeComplete()
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        } else {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in loopBound.value.close(promise: nil) }
        }
    }

    /// The bytes of `exchange`'s answer: the previous answer's buffer again when the answer is the same
    /// (a tracker's hits on one connection get identical answers within a second — the `Set-Cookie`
    /// values come from ``ConnectionMemo`` and change with the expiry second), else a new encoding,
    /// kept for the next one. Sharing the buffer costs no copy: a written `ByteBuffer` is never mutated.
    private func encodedAnswer(
        _ exchange: CollectorExchange, version: HTTPVersion, includeBody: Bool, keepAlive: Bool, context: ChannelHandlerContext
    ) -> ByteBuffer {
        if let last = lastAnswer, last.keepAlive == keepAlive, last.includeBody == includeBody, last.version == version,
            last.status == exchange.status, last.body == exchange.body, Self.sameHeaders(last.headers, exchange.headers)
        {
            return last.bytes
        }
        var buffer = context.channel.allocator.buffer(capacity: 512)
        CollectorResponseEncoder.encode(exchange, version: version, includeBody: includeBody, keepAlive: keepAlive, into: &buffer)
        lastAnswer = (exchange.status, exchange.headers, exchange.body, version, includeBody, keepAlive, buffer)
        return buffer
    }

    private static func sameHeaders(_ a: [(String, String)], _ b: [(String, String)]) -> Bool {
        guard a.count == b.count else { return false }
        for index in a.indices where a[index].0 != b[index].0 || a[index].1 != b[index].1 { return false }
        return true
    }

    private func countRequest(status: UInt) {
        let label = route.metricLabel
        if let last = lastRequestCounter, last.status == status, last.route == label {
            last.counter.increment()
            return
        }
        let counter = metrics.request(route: label, status: Int(status))
        lastRequestCounter = (label, status, counter)
        counter.increment()
    }

    private static func method(_ method: HTTPMethod) -> CollectorRouter.Method {
        switch method {
        case .GET: .get
        case .HEAD: .head
        case .POST: .post
        case .OPTIONS: .options
        default: .other
        }
    }

    static func epochMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
