/// An exception reported by the ClickHouse server, with its numeric code (e.g. 60 `UNKNOWN_TABLE`,
/// 62 `SYNTAX_ERROR`, 193 `WRONG_PASSWORD` on 18.16, 516 `AUTHENTICATION_FAILED` on current releases).
///
/// Carried as the `underlying` error of a ``FreshetError`` with code
/// ``FreshetError/Code/clickHouseServerError``; read it with ``FreshetError/clickHouseServerError``.
public struct ClickHouseServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ClickHouse's error code (`Code: N` in the answer, `X-ClickHouse-Exception-Code` header); `nil`
    /// when the answer carried none (e.g. a proxy's error page).
    public let code: Int?
    /// The exception text, e.g. `DB::Exception: Table default.x doesn't exist.`.
    public let message: String
    /// The HTTP status of the answer.
    public let httpStatus: Int

    public init(code: Int?, message: String, httpStatus: Int) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    public var description: String {
        "ClickHouse error \(code.map(String.init) ?? "(no code)") (HTTP \(httpStatus)): \(message)"
    }

    /// Reads an error answer. Understands both body formats:
    /// - 18.16 – 21.x: `Code: 60, e.displayText() = DB::Exception: Table default.x doesn't exist., e.what() = DB::Exception`
    ///   (later `… doesn't exist. (version 20.8.3.18)`),
    /// - current: `Code: 60. DB::Exception: Table default.x does not exist. (UNKNOWN_TABLE) (version 24.3.1.1)`.
    ///
    /// `headerCode` (`X-ClickHouse-Exception-Code`) wins over the code in the body when present.
    public init(body: [UInt8], httpStatus: Int, headerCode: String? = nil) {
        var text = Substring(String(decoding: body, as: UTF8.self)).trimmingWhitespace()
        var code = headerCode.flatMap { Int(Substring($0).trimmingWhitespace()) }
        if text.hasPrefix("Code: ") {
            let digits = text.dropFirst(6).prefix { $0.isASCII && $0.isNumber }
            if code == nil { code = Int(digits) }
            text = text.dropFirst(6 + digits.count)
            // Old: ", e.displayText() = "; current: ". ".
            for separator in [", e.displayText() = ", ". ", ", "] where text.hasPrefix(separator) {
                text = text.dropFirst(separator.count)
                break
            }
        }
        // Old releases append ", e.what() = DB::Exception": the exception class again, not information.
        if let range = text.ranges(of: ", e.what() = ").last { text = text[..<range.lowerBound] }
        self.init(code: code, message: text.isEmpty ? "HTTP \(httpStatus) with an empty body" : String(text), httpStatus: httpStatus)
    }

    /// Server error codes that describe a passing condition (overload, timeouts, replicas or parts
    /// catching up): the same request may succeed later.
    public static let transientCodes: Set<Int> = [
        159,  // TIMEOUT_EXCEEDED
        164,  // READONLY (a replica in read-only mode during ZooKeeper loss)
        202,  // TOO_MANY_SIMULTANEOUS_QUERIES
        203,  // NO_FREE_CONNECTION
        209,  // SOCKET_TIMEOUT
        210,  // NETWORK_ERROR
        241,  // MEMORY_LIMIT_EXCEEDED
        242,  // TABLE_IS_READ_ONLY
        252,  // TOO_MANY_PARTS
        285,  // TOO_FEW_LIVE_REPLICAS
        319,  // UNKNOWN_STATUS_OF_INSERT
        999,  // KEEPER_EXCEPTION
    ]

    /// `true` when retrying the same request later can succeed: a transient code, or no code and an HTTP
    /// status that says the server (or a proxy in front of it) is temporarily unavailable.
    public var isTransient: Bool {
        if let code { return Self.transientCodes.contains(code) }
        return httpStatus == 502 || httpStatus == 503 || httpStatus == 504
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
