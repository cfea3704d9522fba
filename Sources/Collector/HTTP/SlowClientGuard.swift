import NIOCore

/// Guards a connection against clients that send a request head too slowly (slowloris): once the first
/// byte of a request arrives, its head must be complete within `headerTimeout`, else the client gets
/// `408 Request Timeout` and the connection is closed. Also counts the bytes read.
///
/// Sits first in the pipeline, before the HTTP decoder; the request handler tells it (with outbound user
/// events) when a head is complete and when an answer is done.
final class SlowClientGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Outbound user events from the request handler.
    enum Event { case headReceived, exchangeComplete }

    private enum State { case awaitingRequest, receivingHead, receivingBody }

    private let headerTimeout: TimeAmount
    private let bytesReceived: (Int) -> Void
    private var state = State.awaitingRequest
    private var timer: Scheduled<Void>?

    init(headerTimeout: TimeAmount, bytesReceived: @escaping (Int) -> Void) {
        self.headerTimeout = headerTimeout
        self.bytesReceived = bytesReceived
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytesReceived(buffer.readableBytes)
        if state == .awaitingRequest, buffer.readableBytes > 0 {
            state = .receivingHead
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(in: headerTimeout) {
                let (handler, context) = loopBound.value
                handler.headTimedOut(context: context)
            }
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        switch event as? Event {
        case .headReceived:
            timer?.cancel()
            timer = nil
            state = .receivingBody
            promise?.succeed(())
        case .exchangeComplete:
            state = .awaitingRequest
            promise?.succeed(())
        case nil:
            context.triggerUserOutboundEvent(event, promise: promise)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    private func headTimedOut(context: ChannelHandlerContext) {
        guard state == .receivingHead, context.channel.isActive else { return }
        let response = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}
