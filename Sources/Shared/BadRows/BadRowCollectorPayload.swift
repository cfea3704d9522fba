import Foundation

/// The collector payload as recorded in `adapter_failures` and `tracker_protocol_violations` bad rows
/// (`snowplow-badrows` `Payload.CollectorPayload`): one HTTP request as the collector saw it, before
/// it was split into events.
///
/// Freshet's own collector-payload type is mapped into this one by the enricher. A plain `Sendable`
/// value.
public struct BadRowCollectorPayload: Sendable, Hashable {
    /// Adapter vendor, e.g. `com.snowplowanalytics.snowplow` (at most 64 characters).
    public var vendor: String
    /// Adapter version, e.g. `tp2` (at most 16 characters).
    public var version: String
    /// Query-string parameters, in request order.
    public var querystring: [BadRowNameValuePair]
    public var contentType: String?
    /// The request body, for POSTs.
    public var body: String?
    /// The collector's name and version, e.g. `freshet-collector-0.1.0` (at most 32 characters).
    public var collector: String
    /// The payload's character encoding, e.g. `UTF-8`.
    public var encoding: String
    public var hostname: String?
    /// When the collector received the request.
    public var timestamp: SnowplowTimestamp?
    public var ipAddress: String?
    public var useragent: String?
    public var refererUri: String?
    /// Raw header lines, `Name: value`.
    public var headers: [String]
    /// The collector's network user id cookie (written in lower case, like Java's `UUID.toString`).
    public var networkUserId: UUID?

    public init(
        vendor: String, version: String, querystring: [BadRowNameValuePair] = [], contentType: String? = nil,
        body: String? = nil, collector: String, encoding: String = "UTF-8", hostname: String? = nil,
        timestamp: SnowplowTimestamp? = nil, ipAddress: String? = nil, useragent: String? = nil,
        refererUri: String? = nil, headers: [String] = [], networkUserId: UUID? = nil
    ) {
        self.vendor = vendor
        self.version = version
        self.querystring = querystring
        self.contentType = contentType
        self.body = body
        self.collector = collector
        self.encoding = encoding
        self.hostname = hostname
        self.timestamp = timestamp
        self.ipAddress = ipAddress
        self.useragent = useragent
        self.refererUri = refererUri
        self.headers = headers
        self.networkUserId = networkUserId
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("vendor")
        writer.string(vendor)
        writer.key("version")
        writer.string(version)
        writer.key("querystring")
        writer.beginArray()
        for parameter in querystring { parameter.write(to: &writer) }
        writer.endArray()
        writer.key("contentType")
        writer.string(contentType)
        writer.key("body")
        writer.string(body)
        writer.key("collector")
        writer.string(collector)
        writer.key("encoding")
        writer.string(encoding)
        writer.key("hostname")
        writer.string(hostname)
        writer.key("timestamp")
        writer.string(timestamp?.iso8601String)
        writer.key("ipAddress")
        writer.string(ipAddress)
        writer.key("useragent")
        writer.string(useragent)
        writer.key("refererUri")
        writer.string(refererUri)
        writer.key("headers")
        writer.beginArray()
        for header in headers { writer.string(header) }
        writer.endArray()
        writer.key("networkUserId")
        writer.string(networkUserId.map { $0.uuidString.lowercased() })
        writer.endObject()
    }
}
