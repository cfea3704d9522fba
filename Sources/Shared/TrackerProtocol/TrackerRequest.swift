/// The tracker-relevant part of one collected request (what a `CollectorPayload` carries): which
/// endpoint, the raw querystring, the body and the content type.
public struct TrackerRequest: Sendable, Equatable {
    /// The tracker-protocol endpoint, i.e. which enrich adapter splits the request.
    public enum Endpoint: Sendable, Equatable {
        /// `GET /i`, `/ice.png`, `/com.snowplowanalytics.snowplow/tp1` — `Tp1Adapter`.
        case pixel
        /// `/com.snowplowanalytics.snowplow/tp2`, POST or GET — `Tp2Adapter`.
        case tp2
        /// `GET /r/tp2?u=…` — `RedirectAdapter`.
        case redirect

        /// The endpoint for a collector path (after the collector's path mapping), or `nil` for paths
        /// that are not the Snowplow tracker protocol (webhooks, unknown vendors).
        /// A trailing `?…` (legacy `/i?…` paths) is ignored.
        public init?(path: String) {
            var path = Substring(path)
            if let question = path.firstIndex(of: "?") { path = path[..<question] }
            if path.hasSuffix("/"), path.count > 1 { path = path.dropLast() }
            switch path {
            case "/i", "/ice.png", "/com.snowplowanalytics.snowplow/tp1": self = .pixel
            case "/com.snowplowanalytics.snowplow/tp2": self = .tp2
            case "/r/tp2": self = .redirect
            default: return nil
            }
        }
    }

    /// Which adapter applies.
    public var endpoint: Endpoint
    /// The raw, still URL-encoded querystring (without `?`), or `nil` if there was none.
    public var querystring: String?
    /// The request body as text, or `nil` if there was none.
    public var body: String?
    /// The content type as stored by the collector (lower-cased), or `nil`.
    public var contentType: String?

    /// A request.
    public init(endpoint: Endpoint, querystring: String? = nil, body: String? = nil, contentType: String? = nil) {
        self.endpoint = endpoint
        self.querystring = querystring
        self.body = body
        self.contentType = contentType
    }
}

/// The result of splitting a ``TrackerRequest``: its events, or why it violates the protocol.
public enum TrackerRequestOutcome: Sendable, Equatable {
    /// One or more events (one for GET, one per `data` element for POST).
    case events([TrackerEvent])
    /// One or more violations; no event of the request is kept (as in enrich).
    case violations([TrackerProtocolViolation])

    /// The events, or `nil` for violations.
    public var events: [TrackerEvent]? {
        if case .events(let events) = self { return events }
        return nil
    }

    /// The violations, or `[]` for events.
    public var violations: [TrackerProtocolViolation] {
        if case .violations(let violations) = self { return violations }
        return []
    }
}
