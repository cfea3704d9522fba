#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import Shared

/// Serves one connection: reads each request, decides its ``CollectorExchange``, appends the payload (if
/// any) to the event loop's ``CollectorLogSink`` and answers only once the line reached the operating
/// system — or 503 when it could not be written, so the tracker retries.
///
/// Threading: one instance per connection, confined to the connection's event loop.
final class CollectorRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let configuration: CollectorConfiguration
    private let sink: CollectorLogSink
    private let metrics: CollectorMetrics
    private var head: HTTPRequestHead?
    private var route = CollectorRoute.notFound
    private var body: ByteBuffer?
    /// Set once an early answer (413, 414, 431) went out: the rest of the request is ignored.
    private var rejected = false

    init(configuration: CollectorConfiguration, sink: CollectorLogSink, metrics: CollectorMetrics) {
        self.configuration = configuration
        self.sink = sink
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            context.triggerUserOutboundEvent(SlowClientGuard.Event.headReceived, promise: nil)
            head = requestHead
            body = nil
            rejected = false
            let (path, _) = CollectorExchange.splitTarget(requestHead.uri)
            route = configuration.router.route(method: Self.method(requestHead.method), path: path)
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
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func limitViolation(_ head: HTTPRequestHead) -> HTTPResponseStatus? {
        let requestLineLength = "\(head.method)".utf8.count + head.uri.utf8.count + 10
        if requestLineLength > configuration.maxRequestLineBytes { return .uriTooLong }
        var headerBytes = 0
        for (name, value) in head.headers { headerBytes += name.utf8.count + value.utf8.count + 4 }
        if headerBytes > configuration.maxHeaderBytes { return .requestHeaderFieldsTooLarge }
        if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > configuration.maxBodyBytes {
            return .payloadTooLarge
        }
        return nil
    }

    private func complete(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let peer = context.channel.remoteAddress?.ipAddress
        let now = Self.epochMilliseconds()
        var exchange = CollectorExchange.decide(
            route: route, head: head, body: body, peer: peer, nowMilliseconds: now, configuration: configuration)
        body = nil
        guard let payload = exchange.payload else {
            respond(context: context, head: head, exchange: exchange)
            return
        }
        exchange.payload = nil
        let answer = exchange
        let promise = context.eventLoop.makePromise(of: Void.self)
        sink.append(payload: payload, maxPayloadBytes: configuration.maxPayloadBytes, promise: promise)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenComplete { result in
            let (handler, context) = loopBound.value
            switch result {
            case .success:
                handler.metrics.recorded.increment()
                handler.respond(context: context, head: head, exchange: answer)
            case .failure:
                let unavailable = CollectorExchange(
                    status: .serviceUnavailable, headers: [("Content-Type", "text/plain; charset=UTF-8"), ("Retry-After", "1")],
                    body: .text("could not record the event; retry"))
                handler.respond(context: context, head: head, exchange: unavailable)
            }
        }
    }

    private func reject(context: ChannelHandlerContext, status: HTTPResponseStatus) {
        guard let head else { return }
        rejected = true
        let exchange = CollectorExchange(status: status, headers: [("Content-Type", "text/plain; charset=UTF-8"), ("Connection", "close")], body: .text(status.reasonPhrase))
        respond(context: context, head: head, exchange: exchange, forceClose: true)
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, exchange: CollectorExchange, forceClose: Bool = false) {
        guard context.channel.isActive else { return }
        let bodyBuffer: ByteBuffer?
        switch exchange.body {
        case .empty: bodyBuffer = nil
        case .pixel: bodyBuffer = CollectorResponses.pixelBuffer
        case .ok: bodyBuffer = CollectorResponses.okBuffer
        case .text(let text): bodyBuffer = ByteBuffer(string: text)
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(exchange.headers.count + 2)
        for (name, value) in exchange.headers { headers.add(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(bodyBuffer?.readableBytes ?? 0))
        let keepAlive = head.isKeepAlive && !forceClose
        if !keepAlive, !headers.contains(name: "Connection") { headers.add(name: "Connection", value: "close") }
        metrics.request(route: route.metricLabel, status: Int(exchange.status.code)).increment()

        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: exchange.status, headers: headers))), promise: nil)
        if let bodyBuffer, head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(bodyBuffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        context.triggerUserOutboundEvent(SlowClientGuard.Event.exchangeComplete, promise: nil)
        if !keepAlive {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            done.whenComplete { _ in loopBound.value.close(promise: nil) }
        }
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
