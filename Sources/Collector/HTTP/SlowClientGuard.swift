import NIOCore

/// Guards a connection against slow and idle clients, and counts the bytes read:
/// - once the first byte of a request arrives, its head must be complete within `headerTimeout`, else
///   the client gets `408 Request Timeout` and the connection is closed (slowloris);
/// - a connection with no traffic for `idleTimeout` is closed.
///
/// One repeating check per connection (every tenth of the shorter timeout, at least 100 ms) rather than
/// a timer per request, which would cost an allocation on every request.
///
/// Sits first in the pipeline, before the HTTP decoder (it must see the bytes of a head that never
/// completes); the request handler calls ``headReceived()`` and ``exchangeComplete()`` directly.
///
/// Threading: confined to the connection's event loop.
final class SlowClientGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum State {
        case awaitingRequest
        case receivingHead(since: NIODeadline)
        case receivingBody
    }

    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let bytesReceived: (Int) -> Void
    private var state = State.awaitingRequest
    private var lastActivity = NIODeadline.now()
    private var check: RepeatedTask?

    init(headerTimeout: TimeAmount, idleTimeout: TimeAmount, bytesReceived: @escaping (Int) -> Void) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bytesReceived = bytesReceived
    }

    /// The request handler saw a complete head.
    func headReceived() { state = .receivingBody }

    /// The request handler finished an answer; the connection waits for the next request.
    func exchangeComplete() {
        state = .awaitingRequest
        lastActivity = .now()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startChecking(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startChecking(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytesReceived(buffer.readableBytes)
        let now = NIODeadline.now()
        lastActivity = now
        if case .awaitingRequest = state, buffer.readableBytes > 0 {
            state = .receivingHead(since: now)
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        context.fireChannelInactive()
    }

    private func startChecking(context: ChannelHandlerContext) {
        guard check == nil else { return }
        let shorter = min(headerTimeout.nanoseconds, idleTimeout.nanoseconds)
        let interval = TimeAmount.nanoseconds(max(100_000_000, shorter / 10))
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let (handler, context) = loopBound.value
            handler.checkTimeouts(context: context)
        }
    }

    private func checkTimeouts(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let now = NIODeadline.now()
        switch state {
        case .receivingHead(let since) where now - since >= headerTimeout:
            state = .receivingBody  // answer once
            check?.cancel()
            let response = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(NIOAny(ByteBuffer(string: response))).whenComplete { _ in
                loopBound.value.close(promise: nil)
            }
        case .awaitingRequest where now - lastActivity >= idleTimeout:
            check?.cancel()
            context.close(promise: nil)
        default:
            break
        }
    }
}
