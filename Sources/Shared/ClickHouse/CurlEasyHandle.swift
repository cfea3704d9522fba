import CCurl

/// Owns one libcurl easy handle (`CURL *`): one kept-alive HTTP connection and its options.
///
/// ``perform(_:)`` blocks the calling thread for the whole transfer, so it must only be called from the
/// owning ``ClickHouseConnection``'s `BlockingExecutor`. Options are reset before every request; the
/// connection cache survives the reset, so consecutive requests reuse the TCP connection.
///
/// `@unchecked Sendable`: a curl easy handle must not be used from two threads at once; its only owner
/// (a ``ClickHouseConnection``) touches it solely from its serial executor.
final class CurlEasyHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    /// curl writes a detailed message here when a transfer fails (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// `curl_global_init`, run once per process before the first handle.
    private static let globalInitialization: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init() throws(CurlError) {
        let initialization = Self.globalInitialization
        guard initialization == CURLE_OK else { throw CurlError(initialization, detail: "curl_global_init failed") }
        guard let handle = curl_easy_init() else { throw CurlError(CURLE_FAILED_INIT, detail: "curl_easy_init returned NULL") }
        self.handle = handle
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Runs one HTTP request to completion and returns the answer, whatever its status.
    ///
    /// Throws ``CurlError`` when no answer arrived (refused, timeout, broken connection).
    func perform(_ request: CurlRequest) throws(CurlError) -> CurlResponse {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let exchange = CurlExchange(body: request.body.map(CurlRequestBodyReader.init))
        let exchangePointer = Unmanaged.passUnretained(exchange).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in request.headers + ["Expect:"] {
            headerList = curl_slist_append(headerList, header)
        }

        try check(freshet_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(freshet_curl_setopt_string(handle, CURLOPT_URL, request.url), "CURLOPT_URL")
        try check(freshet_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(freshet_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1), "CURLOPT_TCP_KEEPALIVE")
        try check(freshet_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeoutMilliseconds), "CURLOPT_CONNECTTIMEOUT_MS")
        try check(freshet_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeoutMilliseconds), "CURLOPT_TIMEOUT_MS")
        try check(freshet_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
        if let credentials = request.basicAuthentication {
            try check(freshet_curl_setopt_string(handle, CURLOPT_USERNAME, credentials.user), "CURLOPT_USERNAME")
            try check(freshet_curl_setopt_string(handle, CURLOPT_PASSWORD, credentials.password), "CURLOPT_PASSWORD")
        }
        if request.acceptCompressedAnswer {
            try check(freshet_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""), "CURLOPT_ACCEPT_ENCODING")
        }
        try check(freshet_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteAnswerBody), "CURLOPT_WRITEFUNCTION")
        try check(freshet_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, exchangePointer), "CURLOPT_WRITEDATA")
        try check(freshet_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlReceiveHeader), "CURLOPT_HEADERFUNCTION")
        try check(freshet_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, exchangePointer), "CURLOPT_HEADERDATA")
        if let body = exchange.body {
            try check(freshet_curl_setopt_long(handle, CURLOPT_POST, 1), "CURLOPT_POST")
            try check(freshet_curl_setopt_callback(handle, CURLOPT_READFUNCTION, curlReadRequestBody), "CURLOPT_READFUNCTION")
            try check(freshet_curl_setopt_pointer(handle, CURLOPT_READDATA, exchangePointer), "CURLOPT_READDATA")
            // A known length goes out as Content-Length; otherwise curl sends the body chunked.
            try check(freshet_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.knownLength ?? -1)), "CURLOPT_POSTFIELDSIZE_LARGE")
        } else {
            try check(freshet_curl_setopt_long(handle, CURLOPT_HTTPGET, 1), "CURLOPT_HTTPGET")
        }

        let result = withExtendedLifetime(exchange) { curl_easy_perform(handle) }
        guard result == CURLE_OK else { throw CurlError(result, detail: errorText()) }
        var status = 0
        try check(freshet_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "CURLINFO_RESPONSE_CODE")
        return CurlResponse(status: status, headers: exchange.headers, body: exchange.answerBody)
    }

    // MARK: - Private

    private func check(_ code: CURLcode, _ option: String) throws(CurlError) {
        guard code == CURLE_OK else { throw CurlError(code, detail: "setting \(option)") }
    }

    private func errorText() -> String {
        String(cString: errorBuffer)
    }
}

/// What one request's callbacks read from and write to, for the duration of one `curl_easy_perform`.
private final class CurlExchange {
    let body: CurlRequestBodyReader?
    var answerBody: [UInt8] = []
    /// Header names in lower case. Reset when a new status line starts (e.g. after `100 Continue`).
    var headers: [String: String] = [:]

    init(body: CurlRequestBodyReader?) { self.body = body }
}

// MARK: - C callbacks (called by curl on the performing thread)

private let curlWriteAnswerBody: freshet_curl_data_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(userdata).takeUnretainedValue()
    let total = size * count
    if let data, total > 0 { exchange.answerBody.append(contentsOf: UnsafeRawBufferPointer(start: data, count: total)) }
    return total
}

private let curlReceiveHeader: freshet_curl_data_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(userdata).takeUnretainedValue()
    let total = size * count
    guard let data, total > 0 else { return total }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: total), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
        exchange.headers = [:]
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t\r\n")
        exchange.headers[name] = value
    }
    return total
}

private let curlReadRequestBody: freshet_curl_data_callback = { buffer, size, count, userdata in
    guard let userdata, let buffer else { return Int(CURL_READFUNC_ABORT) }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(userdata).takeUnretainedValue()
    guard let body = exchange.body else { return 0 }
    return body.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let start = firstIndex { !set.contains($0) } ?? endIndex
        let end = lastIndex { !set.contains($0) }.map { index(after: $0) } ?? start
        return String(self[start..<Swift.max(start, end)])
    }
}
