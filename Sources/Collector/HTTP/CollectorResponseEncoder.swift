import NIOCore
import NIOHTTP1

/// Writes a complete HTTP/1.x answer (status line, headers, `Content-Length`, body) into one buffer.
enum CollectorResponseEncoder {
    static func encode(_ exchange: CollectorExchange, version: HTTPVersion, includeBody: Bool, keepAlive: Bool, into buffer: inout ByteBuffer) {
        switch (version.minor, exchange.status.code) {
        case (1, 200): buffer.writeStaticString("HTTP/1.1 200 OK\r\n")  // nearly every answer
        case (1, 302): buffer.writeStaticString("HTTP/1.1 302 Found\r\n")
        default:
            buffer.writeStaticString(version.minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ")
            buffer.writeString(String(exchange.status.code))
            buffer.writeStaticString(" ")
            buffer.writeString(exchange.status.reasonPhrase)
            buffer.writeStaticString("\r\n")
        }
        for (name, value) in exchange.headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        switch exchange.body {
        case .empty: buffer.writeStaticString("Content-Length: 0\r\n")
        case .pixel: buffer.writeStaticString("Content-Length: 43\r\n")  // CollectorResponses.pixel.count
        case .ok: buffer.writeStaticString("Content-Length: 2\r\n")
        case .text(let text):
            buffer.writeStaticString("Content-Length: ")
            buffer.writeString(String(text.utf8.count))
            buffer.writeStaticString("\r\n")
        }
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
