import CCurl

/// A libcurl failure: no HTTP answer arrived. `code` is the `CURLcode`, `detail` curl's own message.
struct CurlError: Error, Sendable, CustomStringConvertible {
    let code: Int
    let detail: String

    init(_ code: CURLcode, detail: String) {
        self.code = Int(code.rawValue)
        let summary = String(cString: curl_easy_strerror(code))
        self.detail = detail.isEmpty ? summary : "\(summary): \(detail)"
    }

    var description: String { "curl error \(code): \(detail)" }

    /// The ``FreshetError`` for this failure while sending `request` to the server at `url`.
    func freshetError(request: String, url: String) -> FreshetError {
        let kind: (FreshetError.Code, Bool, String) =
            switch UInt32(code) {
            case CURLE_COULDNT_CONNECT.rawValue, CURLE_COULDNT_RESOLVE_HOST.rawValue, CURLE_COULDNT_RESOLVE_PROXY.rawValue:
                (.clickHouseConnectionFailed, true, "is the server running?")
            case CURLE_OPERATION_TIMEDOUT.rawValue:
                (.clickHouseTimeout, true, "an insert may or may not have been applied")
            case CURLE_SEND_ERROR.rawValue, CURLE_RECV_ERROR.rawValue, CURLE_GOT_NOTHING.rawValue, CURLE_PARTIAL_FILE.rawValue,
                // A kept-alive connection the server had closed (e.g. it restarted): curl cannot resend a
                // streamed body on a new connection by itself, but the caller can send the request again.
                CURLE_SEND_FAIL_REWIND.rawValue:
                (.clickHouseTransferFailed, true, "the connection broke; an insert may or may not have been applied")
            case CURLE_URL_MALFORMAT.rawValue, CURLE_UNSUPPORTED_PROTOCOL.rawValue:
                (.clickHouseInvalidRequest, false, "check the ClickHouse URL")
            default:
                (.clickHouseTransferFailed, false, "see curl's message")
            }
        return FreshetError(kind.0, "ClickHouse request \(request) to \(url) failed: \(detail); \(kind.2)", retriable: kind.1, underlying: self)
    }
}
