import NIOHTTP1

/// What the previous request on the same connection produced, reused when the next request carries
/// the same values — the usual case, since a browser sends the same cookies and headers on every hit of
/// a keep-alive connection. It saves the allocations of re-parsing the cookie, re-rendering `Set-Cookie`
/// and re-joining each `Name: value` header line for every tracked event.
///
/// Threading: one per connection, confined to its event loop.
final class ConnectionMemo {
    private var factsGeneration: Int?
    private var facts: RequestHeaderFacts?
    private var storedGeneration: Int?
    private var stored: [String] = []

    private var cookieSource: String?
    private var cookie: CookieHeader?
    private var cookieSanitised: String?

    private var setCookieKey: (networkUserId: String, second: Int64, origin: String?)?
    private var setCookieHeaders: [String] = []

    private var headerLines: [(name: String, value: String, line: String)] = []

    /// The facts of `headers`, reused while `generation` — the parser's count of header sections it
    /// parsed afresh (``CollectorHTTPParser/headerSectionGeneration``) — is unchanged, i.e. while the
    /// client resends the same header section. `nil` (no parser, e.g. in tests) never reuses.
    func headerFacts(_ headers: HTTPHeaders, generation: Int?) -> RequestHeaderFacts {
        if let generation, generation == factsGeneration, let facts { return facts }
        let computed = RequestHeaderFacts(headers)
        factsGeneration = generation
        facts = computed
        return computed
    }

    /// The stored header lines of the payload (a function of the headers alone), reused like
    /// ``headerFacts(_:generation:)``.
    func storedHeaders(generation: Int?, compute: () -> [String]) -> [String] {
        if let generation, generation == storedGeneration { return stored }
        stored = compute()
        storedGeneration = generation
        return stored
    }

    /// The parsed `Cookie` header, reusing the last parse when the header text is unchanged.
    func cookieHeader(_ text: String) -> CookieHeader {
        if let cookie, cookieSource == text { return cookie }
        let parsed = CookieHeader(text)
        cookieSource = text
        cookie = parsed
        cookieSanitised = nil
        return parsed
    }

    /// The sanitised text of the last cookie returned by ``cookieHeader(_:)``.
    func sanitisedCookie(_ cookie: CookieHeader) -> String {
        if let cookieSanitised { return cookieSanitised }
        let text = cookie.sanitised
        cookieSanitised = text
        return text
    }

    /// The `Set-Cookie` values for this id, second and origin, rendered once per change.
    func setCookie(networkUserId: String, second: Int64, origin: String?, render: () -> [String]) -> [String] {
        if let key = setCookieKey, key.second == second, key.networkUserId == networkUserId, key.origin == origin {
            return setCookieHeaders
        }
        setCookieHeaders = render()
        setCookieKey = (networkUserId, second, origin)
        return setCookieHeaders
    }

    /// The `Name: value` line of the header at `index`, reused when the previous request had the same
    /// header at the same position.
    func headerLine(index: Int, name: String, value: String) -> String {
        if index < headerLines.count, headerLines[index].value == value, headerLines[index].name == name {
            return headerLines[index].line
        }
        var line = ""
        line.reserveCapacity(name.utf8.count + value.utf8.count + 2)
        line += name
        line += ": "
        line += value
        if index < headerLines.count {
            headerLines[index] = (name, value, line)
        } else if index == headerLines.count {
            headerLines.append((name, value, line))
        }
        return line
    }
}
