import NIOHTTP1

/// The values a tracking exchange reads from the request headers (reference §2.2–2.5), looked up once.
///
/// ``ConnectionMemo/headerFacts(_:generation:)`` keeps the last one per connection: while a client
/// resends the same header section (see ``CollectorHTTPParser``), the lookups are not repeated.
struct RequestHeaderFacts {
    /// The first `Origin` header.
    var origin: String?
    /// The `Cookie` headers, joined with `;` when there are several; `nil` without any.
    var cookie: String?
    /// Whether an `SP-Anonymous` header is present.
    var anonymous: Bool
    /// The first `Host` header.
    var host: String?
    /// The first `Content-Type`, lower-cased.
    var contentType: String?
    var forwardedFor: String?
    var forwarded: String?
    var userAgent: String?
    var referer: String?

    init(_ headers: HTTPHeaders) {
        origin = headers.first(name: "Origin")
        let cookies = headers["Cookie"]
        cookie = cookies.isEmpty ? nil : cookies.count == 1 ? cookies[0] : cookies.joined(separator: ";")
        anonymous = headers.contains(name: "SP-Anonymous")
        host = headers.first(name: "Host")
        contentType = headers.first(name: "Content-Type")?.lowercased()
        forwardedFor = headers.first(name: "X-Forwarded-For")
        forwarded = headers.first(name: "Forwarded")
        userAgent = headers.first(name: "User-Agent")
        referer = headers.first(name: "Referer")
    }
}
