import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Incremental HTTP/1.x request parser: turns the bytes of a connection into request parts (head, body
/// chunks, end), one at a time, as they arrive.
///
/// It replaces NIO's llhttp-based `HTTPRequestDecoder` on the collector's hot path: it finds the end of
/// a head with `memchr` over the buffered bytes and builds the `HTTPRequestHead` once, instead of
/// running a byte-at-a-time state machine with a callback per header fragment, and it is driven by
/// ``CollectorRequestHandler`` directly (no extra pipeline stage, no `NIOAny` boxing per part).
///
/// What it accepts, following RFC 9112:
/// - a request line `METHOD SP target SP HTTP/1.0|HTTP/1.1` (empty lines before it are skipped);
/// - header lines `name: value` (the value trimmed of spaces and tabs); lines may end in CRLF or a bare LF;
/// - a body framed by `Content-Length` or by `Transfer-Encoding: chunked` (chunk extensions ignored,
///   trailers read and dropped); no body without either;
/// - any number of requests back to back on one connection (pipelining), split anywhere.
///
/// What it refuses, with the status the collector answers before closing the connection:
/// `400` for a malformed request line, header line (including obsolete line folding), chunk size or
/// framing (`Content-Length` with `Transfer-Encoding`, conflicting lengths, a transfer coding other
/// than chunked); `414` for a request line longer than `maxRequestLineBytes`; `431` for a header
/// section (or trailer section) longer than `maxHeaderBytes`. These bounds keep what one connection
/// buffers small; the request handler applies its exact limits to the parsed head as well.
///
/// Threading: a value owned by one connection's handler, used on its event loop.
struct CollectorHTTPParser {
    /// Why bytes could not be read as a request; `status` is the answer.
    enum ParseError: Error, Equatable {
        case badRequest(String)
        case requestLineTooLong
        case headersTooLarge

        var status: HTTPResponseStatus {
            switch self {
            case .badRequest: .badRequest
            case .requestLineTooLong: .uriTooLong
            case .headersTooLarge: .requestHeaderFieldsTooLarge
            }
        }
    }

    private enum State: Equatable {
        case head
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
        case end
    }

    /// Longest chunk-size line (hex digits and extensions) accepted.
    static let maxChunkSizeLineBytes = 1024

    let maxRequestLineBytes: Int
    let maxHeaderBytes: Int
    private var state = State.head
    /// Offset (from the reader index) of the first line of the head not yet seen complete, so a head
    /// arriving in pieces is not searched again from its start.
    private var headScanned = 0
    /// Offset of the first header line (the end of the request line), once known.
    private var requestLineEnd: Int?
    /// The previous request's header section (its bytes up to and including the empty line), its
    /// parsed headers and the state after its head. A client on a keep-alive connection (a browser, a
    /// tracker) sends the same headers with every request and only the target changes, so the same
    /// bytes give the same headers without building their strings again; equal strings that share
    /// storage also make the handler's per-connection memo comparisons instant.
    private var lastHeaderSection: (bytes: [UInt8], headers: HTTPHeaders, next: State)?
    /// Counts the header sections parsed afresh: it changes exactly when the headers of the last head
    /// returned are not the reused ones of the head before, so per-connection memos of values derived
    /// from the headers can key on it.
    private(set) var headerSectionGeneration = 0
    /// Larger header sections are not remembered (the copy would cost more than it saves).
    static let maxRememberedHeaderSectionBytes = 4096

    init(maxRequestLineBytes: Int, maxHeaderBytes: Int) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// Whether the parser is between requests (nothing of a next request consumed yet).
    var isIdle: Bool { state == .head && headScanned == 0 }

    /// The next request part from `buffer`, consuming its bytes; `nil` when more bytes are needed.
    /// After a thrown error the parser must not be used again (the connection is closed).
    mutating func next(_ buffer: inout ByteBuffer) throws(ParseError) -> HTTPServerRequestPart? {
        while true {
            switch state {
            case .head:
                guard let head = try parseHead(&buffer) else { return nil }
                return .head(head)
            case .end:
                state = .head
                return .end(nil)
            case .body(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                let chunk = buffer.readSlice(length: count)!
                state = count == remaining ? .end : .body(remaining: remaining - count)
                return .body(chunk)
            case .chunkData(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                let chunk = buffer.readSlice(length: count)!
                state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
                return .body(chunk)
            case .chunkSize:
                guard
                    let line = try takeLine(
                        &buffer, limit: Self.maxChunkSizeLineBytes, tooLong: .badRequest("chunk size line too long"))
                else { return nil }
                let size = try Self.chunkSize(line)
                state = size == 0 ? .trailers(bytes: 0) : .chunkData(remaining: size)
            case .chunkDataEnd:
                guard
                    let line = try takeLine(&buffer, limit: 2, tooLong: .badRequest("chunk data longer than its size"))
                else { return nil }
                guard line.isEmpty else { throw .badRequest("chunk data longer than its size") }
                state = .chunkSize
            case .trailers(let bytes):
                let room = maxHeaderBytes - bytes
                guard let line = try takeLine(&buffer, limit: max(0, room), tooLong: .headersTooLarge) else {
                    return nil
                }
                if line.isEmpty {
                    state = .end
                } else {
                    state = .trailers(bytes: bytes + line.count + 2)
                }
            }
        }
    }

    // MARK: Head

    private mutating func parseHead(_ buffer: inout ByteBuffer) throws(ParseError) -> HTTPRequestHead? {
        // Find the empty line ending the head, line by line from where the last call stopped.
        let scan: Result<(headEnd: Int, requestLineEnd: Int)?, ParseError> = buffer.withUnsafeReadableBytes { bytes in
            var lineStart = headScanned
            while true {
                guard lineStart < bytes.count,
                    let found = memchr(
                        bytes.baseAddress! + lineStart, Int32(UInt8(ascii: "\n")), bytes.count - lineStart)
                else {
                    headScanned = lineStart
                    let pending = bytes.count - lineStart
                    if let requestLineEnd {
                        if bytes.count - requestLineEnd > maxHeaderBytes + 2 { return .failure(.headersTooLarge) }
                    } else if pending > maxRequestLineBytes + 1 {
                        return .failure(.requestLineTooLong)
                    }
                    return .success(nil)
                }
                let newline = UnsafeRawPointer(found) - bytes.baseAddress!
                var lineEnd = newline
                if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                if let requestLineEnd {
                    if newline + 1 - requestLineEnd > maxHeaderBytes + 2 { return .failure(.headersTooLarge) }
                    if lineEnd == lineStart {
                        headScanned = 0
                        return .success((newline + 1, requestLineEnd))
                    }
                } else if lineEnd == lineStart {
                    // An empty line before the request line (e.g. a stray CRLF after a body): skipped.
                } else {
                    if lineEnd - lineStart > maxRequestLineBytes { return .failure(.requestLineTooLong) }
                    requestLineEnd = newline + 1
                }
                lineStart = newline + 1
            }
        }
        guard let (headEnd, lineEnd) = try scan.get() else {
            // Drop empty lines already skipped before any request line, so they do not pile up.
            if requestLineEnd == nil, headScanned > 0 {
                buffer.moveReaderIndex(forwardBy: headScanned)
                headScanned = 0
            }
            return nil
        }
        requestLineEnd = nil
        let result: Result<(HTTPRequestHead, State), ParseError> = buffer.withUnsafeReadableBytes { bytes in
            completeHead(UnsafeRawBufferPointer(rebasing: bytes[..<headEnd]), requestLineEnd: lineEnd)
        }
        let (head, next) = try result.get()
        buffer.moveReaderIndex(forwardBy: headEnd)
        state = next
        return head
    }

    /// Parses a complete head (request line and header lines, up to and including the empty line).
    /// A header section byte-for-byte equal to the previous request's reuses its parsed headers.
    private mutating func completeHead(_ bytes: UnsafeRawBufferPointer, requestLineEnd: Int) -> Result<
        (HTTPRequestHead, State), ParseError
    > {
        // The request line; empty lines before it were skipped when the head was found.
        var start = 0
        var end = requestLineEnd - 1
        while bytes[start] == UInt8(ascii: "\r") || bytes[start] == UInt8(ascii: "\n") { start += 1 }
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard
            case .success(let (method, uri, version)) = Self.requestLine(
                UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        else {
            return .failure(.badRequest("malformed request line"))
        }

        let section = UnsafeRawBufferPointer(rebasing: bytes[requestLineEnd...])
        if let last = lastHeaderSection, last.bytes.count == section.count,
            last.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, section.baseAddress!, section.count) == 0 })
        {
            return .success(
                (HTTPRequestHead(version: version, method: method, uri: uri, headers: last.headers), last.next))
        }
        switch Self.headerSection(bytes, from: requestLineEnd) {
        case .failure(let error):
            return .failure(error)
        case .success(let (headers, next)):
            headerSectionGeneration &+= 1
            lastHeaderSection =
                section.count <= Self.maxRememberedHeaderSectionBytes ? (Array(section), headers, next) : nil
            return .success((HTTPRequestHead(version: version, method: method, uri: uri, headers: headers), next))
        }
    }

    /// The header lines from `requestLineEnd` to the empty line, and what follows the head.
    private static func headerSection(_ bytes: UnsafeRawBufferPointer, from requestLineEnd: Int) -> Result<
        (HTTPHeaders, State), ParseError
    > {
        var headers = HTTPHeaders()
        var contentLength: Int?
        var transferEncoding: String?
        var lineStart = requestLineEnd
        while true {
            // The head ends with an empty line, so every line has its LF.
            let newline =
                UnsafeRawPointer(
                    memchr(bytes.baseAddress! + lineStart, Int32(UInt8(ascii: "\n")), bytes.count - lineStart)!) - bytes
                .baseAddress!
            var lineEnd = newline
            if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            if lineEnd == lineStart { break }
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
            guard let (name, value) = headerLine(line) else { return .failure(.badRequest("malformed header line")) }
            if name.utf8.count == 14, name.caseInsensitiveEquals("Content-Length") {
                guard let length = decimal(value) else { return .failure(.badRequest("invalid Content-Length")) }
                if let contentLength, contentLength != length {
                    return .failure(.badRequest("conflicting Content-Length headers"))
                }
                contentLength = length
            } else if name.utf8.count == 17, name.caseInsensitiveEquals("Transfer-Encoding") {
                transferEncoding = transferEncoding.map { $0 + ", " + value } ?? value
            }
            headers.add(name: name, value: value)
            lineStart = newline + 1
        }

        let next: State
        if let transferEncoding {
            guard contentLength == nil else {
                return .failure(.badRequest("both Content-Length and Transfer-Encoding"))
            }
            let last = transferEncoding.split(separator: ",").last.map { String($0.trimmingSpaces()) } ?? ""
            guard last.caseInsensitiveEquals("chunked") else {
                return .failure(.badRequest("unsupported transfer coding"))
            }
            next = .chunkSize
        } else if let contentLength, contentLength > 0 {
            next = .body(remaining: contentLength)
        } else {
            next = .end
        }
        return .success((headers, next))
    }

    /// `METHOD SP target SP HTTP/1.x`.
    private static func requestLine(_ line: UnsafeRawBufferPointer) -> Result<
        (HTTPMethod, String, HTTPVersion), ParseError
    > {
        // The version has a fixed length, so the last space is 9 bytes from the end.
        guard line.count > 9, let found = memchr(line.baseAddress!, Int32(UInt8(ascii: " ")), line.count) else {
            return .failure(.badRequest("malformed request line"))
        }
        let firstSpace = UnsafeRawPointer(found) - line.baseAddress!
        let lastSpace = line.count - 9
        guard firstSpace > 0, lastSpace > firstSpace + 1, line[lastSpace] == UInt8(ascii: " ") else {
            return .failure(.badRequest("malformed request line"))
        }
        let methodBytes = UnsafeRawBufferPointer(rebasing: line[..<firstSpace])
        guard methodBytes.allSatisfy(isTokenCharacter) else { return .failure(.badRequest("malformed method")) }
        let target = UnsafeRawBufferPointer(rebasing: line[(firstSpace + 1)..<lastSpace])
        // No spaces or control characters inside the target.
        guard !containsControlOrSpace(target, allowingTab: false, allowingSpace: false) else {
            return .failure(.badRequest("malformed request target"))
        }
        let versionBytes = UnsafeRawBufferPointer(rebasing: line[(lastSpace + 1)...])
        guard versionBytes.starts(with: "HTTP/1.".utf8) else {
            return .failure(.badRequest("unsupported HTTP version"))
        }
        let version: HTTPVersion
        switch versionBytes[7] {
        case UInt8(ascii: "1"): version = .http1_1
        case UInt8(ascii: "0"): version = .http1_0
        default: return .failure(.badRequest("unsupported HTTP version"))
        }
        return .success((method(methodBytes), String(decoding: target, as: UTF8.self), version))
    }

    private static func method(_ bytes: UnsafeRawBufferPointer) -> HTTPMethod {
        switch bytes.count {
        case 3 where bytes.elementsEqual("GET".utf8): .GET
        case 3 where bytes.elementsEqual("PUT".utf8): .PUT
        case 4 where bytes.elementsEqual("POST".utf8): .POST
        case 4 where bytes.elementsEqual("HEAD".utf8): .HEAD
        case 5 where bytes.elementsEqual("PATCH".utf8): .PATCH
        case 5 where bytes.elementsEqual("TRACE".utf8): .TRACE
        case 6 where bytes.elementsEqual("DELETE".utf8): .DELETE
        case 7 where bytes.elementsEqual("OPTIONS".utf8): .OPTIONS
        case 7 where bytes.elementsEqual("CONNECT".utf8): .CONNECT
        default: HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// `name: value` → the name and the value without surrounding spaces and tabs.
    private static func headerLine(_ line: UnsafeRawBufferPointer) -> (String, String)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        // A token: this also refuses obsolete line folding (a line starting with a space or tab).
        guard name.allSatisfy(isTokenCharacter) else { return nil }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == UInt8(ascii: " ") || line[valueStart] == UInt8(ascii: "\t") {
            valueStart += 1
        }
        while valueEnd > valueStart, line[valueEnd - 1] == UInt8(ascii: " ") || line[valueEnd - 1] == UInt8(ascii: "\t")
        { valueEnd -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
        // Control characters other than tab are not allowed in a field value (a bare CR included).
        guard !containsControlOrSpace(value, allowingTab: true, allowingSpace: true) else { return nil }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    // MARK: Chunked bodies and lines

    /// The next line (without its CRLF or LF), or `nil` if it is not complete yet.
    private func takeLine(_ buffer: inout ByteBuffer, limit: Int, tooLong: ParseError) throws(ParseError) -> [UInt8]? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > limit + 1 { throw tooLong }
            return nil
        }
        var end = newline
        if end > view.startIndex, view[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        if end - view.startIndex > limit { throw tooLong }
        let line = Array(view[view.startIndex..<end])
        buffer.moveReaderIndex(to: newline + 1)
        return line
    }

    /// Hex digits, optionally followed by spaces or `;extensions`.
    static func chunkSize(_ line: [UInt8]) throws(ParseError) -> Int {
        var size = 0
        var digits = 0
        for byte in line {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A") + 10)
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                guard digits > 0 else { throw .badRequest("invalid chunk size") }
                return size
            default: throw .badRequest("invalid chunk size")
            }
            guard digits < 15 else { throw .badRequest("chunk size too large") }
            size = size << 4 | value
            digits += 1
        }
        guard digits > 0 else { throw .badRequest("invalid chunk size") }
        return size
    }

    private static func decimal(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 18,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    /// Whether `bytes` holds a control character (or a space, unless allowed); a tight loop, since it
    /// runs over every target and header value.
    private static func containsControlOrSpace(_ bytes: UnsafeRawBufferPointer, allowingTab: Bool, allowingSpace: Bool)
        -> Bool
    {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        var index = 0
        while index < bytes.count {
            let byte = base[index]
            if byte <= 0x20 || byte == 0x7F {
                if !(byte == 0x20 && allowingSpace) && !(byte == 0x09 && allowingTab) { return true }
            }
            index += 1
        }
        return false
    }

    /// RFC 9110 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"),
            UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
