import Foundation
import Shared

/// One event as an adapter produced it (enrich's `RawEvent`): the tracker parameters of a single
/// event, with the collector payload it arrived in and the adapter's vendor/version.
///
/// A plain `Sendable` value; events of one POST batch share the payload's storage (copy on write).
struct RawEvent: Sendable {
    /// The tracker parameters (querystring merged in for POST batches).
    var event: TrackerEvent
    /// The collector payload the event came from.
    var payload: CollectorPayload
    /// The adapter that split the payload.
    var api: CollectorPayload.API

    /// The raw event as recorded in `schema_violations`/`enrichment_failures` bad rows.
    var badRowRawEvent: BadRowRawEvent {
        BadRowRawEvent(
            vendor: api.vendor, version: api.version,
            parameters: event.parameters.map { BadRowNameValuePair(name: $0.name, value: $0.value) },
            contentType: payload.contentType, loaderName: "thrift", encoding: payload.encoding, hostname: payload.hostname,
            timestamp: SnowplowTimestamp(millisecondsSinceEpoch: payload.timestamp), ipAddress: payload.ipAddress,
            useragent: payload.userAgent, refererUri: payload.refererUri, headers: payload.headers ?? [],
            userId: payload.networkUserId.flatMap(UUID.init(uuidString:)))
    }
}

extension CollectorPayload {
    /// The payload as recorded in `adapter_failures`/`tracker_protocol_violations` bad rows.
    func badRowPayload(api: CollectorPayload.API) -> BadRowCollectorPayload {
        var querystring: [BadRowNameValuePair] = []
        if let text = self.querystring, !text.isEmpty, case .success(let pairs) = QueryStringParser.parse(text) {
            querystring = pairs.map { BadRowNameValuePair(name: $0.name, value: $0.value) }
        }
        return BadRowCollectorPayload(
            vendor: api.vendor, version: api.version, querystring: querystring, contentType: contentType, body: body,
            collector: collector, encoding: encoding, hostname: hostname,
            timestamp: SnowplowTimestamp(millisecondsSinceEpoch: timestamp), ipAddress: ipAddress, useragent: userAgent,
            refererUri: refererUri, headers: headers ?? [], networkUserId: networkUserId.flatMap(UUID.init(uuidString:)))
    }
}
