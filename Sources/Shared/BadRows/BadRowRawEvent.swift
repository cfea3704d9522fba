import Foundation

/// One raw event as recorded in `schema_violations` and `enrichment_failures` bad rows
/// (`snowplow-badrows` `Payload.RawEvent`): the tracker parameters of a single event plus the
/// request context it arrived with.
///
/// Freshet's own types are mapped into this one by the enricher. A plain `Sendable` value.
public struct BadRowRawEvent: Sendable, Hashable {
    /// Adapter vendor, e.g. `com.snowplowanalytics.snowplow` (at most 64 characters).
    public var vendor: String
    /// Adapter version, e.g. `tp2` (at most 16 characters).
    public var version: String
    /// The event's tracker parameters (`e`, `aid`, `ue_px`, …).
    public var parameters: [BadRowNameValuePair]
    public var contentType: String?
    /// The loader that read the collector payload, e.g. `thrift` (at most 32 characters).
    public var loaderName: String
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
    /// The collector's network user id (written in lower case).
    public var userId: UUID?

    public init(
        vendor: String, version: String, parameters: [BadRowNameValuePair], contentType: String? = nil,
        loaderName: String = "thrift", encoding: String = "UTF-8", hostname: String? = nil,
        timestamp: SnowplowTimestamp? = nil, ipAddress: String? = nil, useragent: String? = nil,
        refererUri: String? = nil, headers: [String] = [], userId: UUID? = nil
    ) {
        self.vendor = vendor
        self.version = version
        self.parameters = parameters
        self.contentType = contentType
        self.loaderName = loaderName
        self.encoding = encoding
        self.hostname = hostname
        self.timestamp = timestamp
        self.ipAddress = ipAddress
        self.useragent = useragent
        self.refererUri = refererUri
        self.headers = headers
        self.userId = userId
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("vendor")
        writer.string(vendor)
        writer.key("version")
        writer.string(version)
        writer.key("parameters")
        writer.beginArray()
        for parameter in parameters { parameter.write(to: &writer) }
        writer.endArray()
        writer.key("contentType")
        writer.string(contentType)
        writer.key("loaderName")
        writer.string(loaderName)
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
        writer.key("userId")
        writer.string(userId.map { $0.uuidString.lowercased() })
        writer.endObject()
    }
}
