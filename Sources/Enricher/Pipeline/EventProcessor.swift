import Shared

/// The whole per-record path of the enricher, shared by the Kafka service and the offline mode: a raw
/// record in, enriched events and bad rows out — one output per event (reference §3.1):
///
/// 1. ``RawRecordDecoder``: decompress, decode, format checks → `collector_payload_format_violation`;
/// 2. ``AdapterRegistry``: split into raw events → `adapter_failures`, `tracker_protocol_violations`;
/// 3. ``EventMapper`` (phase 1) → `schema_violations`;
/// 4. ``EnrichmentPipeline`` (phase 2) → `enrichment_failures`;
/// 5. ``AtomicFieldValidation`` (phase 3) → `schema_violations`.
///
/// An event that fails becomes exactly one bad row of the first failing phase (step 7's precedence);
/// the other events of its payload go on.
///
/// Not thread-safe (the decoder reuses a gzip inflater): one processor per worker; the immutable parts
/// (pipeline, mapper, adapters) are shared.
final class EventProcessor {
    /// What one or more records produced.
    struct Output {
        /// Good events, in input order.
        var events: [EnrichedEvent] = []
        /// Bad rows, in input order.
        var badRows: [BadRow] = []
        /// For each of `events`, the position in the processed batch of the record it came from (filled
        /// by ``BatchEnricher``; the visitor profile tells a re-delivered record from a true duplicate).
        var eventRecords: [Int] = []
    }

    private let decoder: RawRecordDecoder
    private let adapters: AdapterRegistry
    private let mapper: EventMapper
    private let pipeline: EnrichmentPipeline
    private let processor: BadRowProcessor
    private let clock: @Sendable () -> SnowplowTimestamp

    init(
        pipeline: EnrichmentPipeline, processor: BadRowProcessor, vEtl: String,
        clock: @escaping @Sendable () -> SnowplowTimestamp = { SnowplowTimestamp.now() }
    ) {
        self.decoder = RawRecordDecoder(processor: processor)
        self.adapters = AdapterRegistry(processor: processor)
        self.mapper = EventMapper(vEtl: vEtl)
        self.pipeline = pipeline
        self.processor = processor
        self.clock = clock
    }

    /// Processes one raw record (a Kafka message value or a decoded log line), appending to `output`.
    func process(record: [UInt8], into output: inout Output) {
        let now = clock()
        for item in decoder.decode(record, now: now) {
            switch item {
            case .bad(let row):
                output.badRows.append(row)
            case .payload(let payload, let api):
                switch adapters.adapt(payload, api: api, record: record, now: now) {
                case .bad(let row):
                    output.badRows.append(row)
                case .events(let events):
                    for raw in events {
                        switch enrich(raw, now: now) {
                        case .enriched(let event): output.events.append(event)
                        case .bad(let row): output.badRows.append(row)
                        }
                    }
                }
            }
        }
    }

    /// The bad row for a record that is not even a collector payload log line (offline mode).
    func unreadableLine(_ line: [UInt8], reason: String) -> BadRow {
        .collectorPayloadFormatViolation(
            BadRow.CollectorPayloadFormatViolation(
                processor: processor, timestamp: clock(), loader: "thrift", message: .fallback(error: String(reason.prefix(512))),
                payload: RawRecordDecoder.base64(line)))
    }

    /// The outcome for one event.
    enum EventOutcome {
        case enriched(EnrichedEvent)
        case bad(BadRow)
    }

    /// Phases 1–3 for one event.
    func enrich(_ raw: RawEvent, now: SnowplowTimestamp) -> EventOutcome {
        let mapped = mapper.map(raw, etlTimestamp: now)
        if !mapped.violations.isEmpty {
            return .bad(
                .schemaViolations(
                    BadRow.SchemaViolations(
                        processor: processor, timestamp: now, messages: mapped.violations,
                        payload: BadRowEnrichmentPayload(enriched: mapped.event, raw: raw.badRowRawEvent))))
        }
        var context = EnrichmentContext(consume mapped)
        pipeline.run(&context)
        if !context.failures.isEmpty {
            return .bad(
                .enrichmentFailures(
                    BadRow.EnrichmentFailures(
                        processor: processor, timestamp: now, messages: context.failures,
                        payload: BadRowEnrichmentPayload(enriched: context.event, raw: raw.badRowRawEvent))))
        }
        let lengthViolations = AtomicFieldValidation.violations(of: context.event)
        if !lengthViolations.isEmpty {
            return .bad(
                .schemaViolations(
                    BadRow.SchemaViolations(
                        processor: processor, timestamp: now, messages: lengthViolations,
                        payload: BadRowEnrichmentPayload(enriched: context.event, raw: raw.badRowRawEvent))))
        }
        return .enriched(context.takeEvent())
    }
}
