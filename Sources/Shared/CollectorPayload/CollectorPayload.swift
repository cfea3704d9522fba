/// One HTTP request as the collector recorded it: Snowplow's `CollectorPayload` Thrift struct
/// (`com.snowplowanalytics.snowplow.CollectorPayload.thrift.model1`, IDL `collector-payload.thrift`).
///
/// This is the unit that travels from the collector through the log files and the `raw` Kafka topic to
/// the enricher. Its wire form is Thrift TBinaryProtocol (see `CollectorPayload+Thrift.swift`), byte
/// for byte what Snowplow's own collector writes, so Snowplow tools can read our `raw` topic and we can
/// read theirs.
///
/// | Field id | Property | Thrift type | In the IDL |
/// |---|---|---|---|
/// | 31337 | ``schema`` | string | default requiredness |
/// | 100 | ``ipAddress`` | string | default requiredness |
/// | 200 | ``timestamp`` | i64 | default requiredness |
/// | 210 | ``encoding`` | string | default requiredness |
/// | 220 | ``collector`` | string | default requiredness |
/// | 300 | ``userAgent`` | string | optional |
/// | 310 | ``refererUri`` | string | optional |
/// | 320 | ``path`` | string | optional |
/// | 330 | ``querystring`` | string | optional |
/// | 340 | ``body`` | string | optional |
/// | 350 | ``headers`` | list<string> | optional |
/// | 360 | ``contentType`` | string | optional |
/// | 400 | ``hostname`` | string | optional |
/// | 410 | ``networkUserId`` | string | optional |
///
/// The five "default requiredness" fields are written by every Snowplow collector; this type treats
/// them as required (non-optional properties) and the decoder rejects a payload that lacks one.
/// An optional property that is `nil` is absent on the wire; an empty string or empty list is present
/// and empty — the two are kept apart in both directions.
///
/// A plain value: `Sendable`, safe to share between tasks and threads.
public struct CollectorPayload: Sendable, Hashable {
    /// The Iglu URI every collector writes into ``schema``.
    public static let defaultSchema = "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0"

    /// Iglu URI of the payload format. Default: ``defaultSchema``.
    /// Enrich accepts `iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-*`.
    public var schema: String
    /// The client's IP address, or `unknown` when none could be determined (or the request was anonymous).
    public var ipAddress: String
    /// When the collector received the request, in milliseconds since the Unix epoch (UTC). Becomes
    /// `collector_tstamp`.
    public var timestamp: Int64
    /// Character encoding of querystring and body. Default: `UTF-8`.
    public var encoding: String
    /// Collector name and version, e.g. `ssc-3.4.0-kafkasink`. Becomes `v_collector`.
    public var collector: String
    /// The `User-Agent` request header.
    public var userAgent: String?
    /// The `Referer` request header.
    public var refererUri: String?
    /// The (canonical, after path mapping) request path, e.g. `/i` or `/com.snowplowanalytics.snowplow/tp2`.
    public var path: String?
    /// The raw, still URL-encoded querystring without the leading `?`.
    public var querystring: String?
    /// The request body (POST), as text.
    public var body: String?
    /// Every request header as `"Name: value"`, plus the lower-cased content type as a bare string.
    public var headers: [String]?
    /// The lower-cased `Content-Type`.
    public var contentType: String?
    /// The host the request was addressed to.
    public var hostname: String?
    /// The network user id (the `sp` cookie, `nuid` parameter, or a fresh UUID). Enrich requires a UUID.
    public var networkUserId: String?

    /// Creates a payload; optional fields default to absent.
    public init(
        schema: String = CollectorPayload.defaultSchema,
        ipAddress: String,
        timestamp: Int64,
        encoding: String = "UTF-8",
        collector: String,
        userAgent: String? = nil,
        refererUri: String? = nil,
        path: String? = nil,
        querystring: String? = nil,
        body: String? = nil,
        headers: [String]? = nil,
        contentType: String? = nil,
        hostname: String? = nil,
        networkUserId: String? = nil
    ) {
        self.schema = schema
        self.ipAddress = ipAddress
        self.timestamp = timestamp
        self.encoding = encoding
        self.collector = collector
        self.userAgent = userAgent
        self.refererUri = refererUri
        self.path = path
        self.querystring = querystring
        self.body = body
        self.headers = headers
        self.contentType = contentType
        self.hostname = hostname
        self.networkUserId = networkUserId
    }
}

extension CollectorPayload {
    /// Thrift field ids of the IDL, in ascending order (the order generated Thrift code writes them).
    enum FieldID {
        static let ipAddress: Int16 = 100
        static let timestamp: Int16 = 200
        static let encoding: Int16 = 210
        static let collector: Int16 = 220
        static let userAgent: Int16 = 300
        static let refererUri: Int16 = 310
        static let path: Int16 = 320
        static let querystring: Int16 = 330
        static let body: Int16 = 340
        static let headers: Int16 = 350
        static let contentType: Int16 = 360
        static let hostname: Int16 = 400
        static let networkUserId: Int16 = 410
        static let schema: Int16 = 31337
    }
}
