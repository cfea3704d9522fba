import Shared

/// Turns a batch's enriched events and bad rows into Kafka records:
/// - an enriched event → its 131-column TSV line on the enriched topic, keyed by the visitor
///   (`domain_userid`, else `network_userid`; no key when neither is set) so one visitor's events keep
///   their order in one partition;
/// - a bad row → its JSON on the bad topic, unkeyed;
/// - an enriched line larger than ``maximumRecordBytes`` → a `size_violation` bad row instead (as
///   enrich does), so one oversized event can never block the stream.
///
/// Pure; safe from any thread.
struct EnricherOutputEncoder: Sendable {
    var enrichedTopic: String
    var badTopic: String
    /// Largest enriched line sent as is. Default: 1 000 000 bytes (Kafka's default message size).
    var maximumRecordBytes = 1_000_000
    var processor: BadRowProcessor

    /// The records, enriched ones first, and the bad rows among them (for metrics).
    func encode(_ output: EventProcessor.Output, now: SnowplowTimestamp) -> (records: [KafkaProducerRecord], enriched: Int, badRows: [BadRow]) {
        var records: [KafkaProducerRecord] = []
        records.reserveCapacity(output.events.count + output.badRows.count)
        var badRows = output.badRows
        var enriched = 0
        for event in output.events {
            // Allocated once at the line's bound and written in place.
            let line = event.tsvBytes()
            if line.count > maximumRecordBytes {
                badRows.append(
                    .sizeViolation(
                        BadRow.SizeViolation(
                            processor: processor, timestamp: now, maximumAllowedSizeBytes: maximumRecordBytes, actualSizeBytes: line.count,
                            expectation: "enriched event should fit in a Kafka record",
                            payload: BadRow.SizeViolation.payloadPrefix(of: line, maximumAllowedSizeBytes: maximumRecordBytes))))
                continue
            }
            let key = Self.visitorKey(of: event).map { Array($0.utf8) }
            records.append(KafkaProducerRecord(topic: enrichedTopic, key: key, value: line))
            enriched += 1
        }
        for row in badRows {
            records.append(KafkaProducerRecord(topic: badTopic, key: nil, value: row.jsonBytes()))
        }
        return (records, enriched, badRows)
    }

    /// The visitor an event belongs to: `domain_userid`, else `network_userid`.
    static func visitorKey(of event: EnrichedEvent) -> String? {
        event.domainUserid ?? event.networkUserid
    }
}
