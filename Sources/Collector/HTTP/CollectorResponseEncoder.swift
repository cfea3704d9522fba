import NIOCore
import NIOHTTP1

/// Writes a complete HTTP/1.x answer (status line, headers, `Content-Length`, body) into one buffer.
enum CollectorResponseEncoder {
    static func encode(_ exchange: CollectorExchange, version: HTTPVersion, includeBody: Bool, keepAlive: Bool, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(version.minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ")
        buffer.writeString(String(exchange.status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(exchange.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for (name, value) in exchange.headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        let bodyLength: Int
        switch exchange.body {
        case .empty: bodyLength = 0
        case .pixel: bodyLength = CollectorResponses.pixel.count
        case .ok: bodyLength = 2
        case .text(let text): bodyLength = text.utf8.count
        }
        buffer.writeStaticString("Content-Length: ")
        buffer.writeString(String(bodyLength))
        buffer.writeStaticString("\r\n")
        if !keepAlive {
            buffer.writeStaticString("Connection: close\r\n")
        } else if version.minor == 0 {
            buffer.writeStaticString("Connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
        guard includeBody else { return }
        switch exchange.body {
        case .empty: break
        case .pixel: buffer.writeBytes(CollectorResponses.pixel)
        case .ok: buffer.writeStaticString("ok")
        case .text(let text): buffer.writeString(text)
        }
    }
}
