import Shared

/// Step 17 (built in): `event_vendor`, `event_name`, `event_format` and `event_version` from the event
/// type (reference §1.2) — the inner schema for self-describing events, fixed schemas for the
/// others. A type without a schema (`ad`, a missing `e`) is an enrichment failure.
struct SchemaFieldsStep: Enrichment {
    var step: EnrichmentStep { .schemaFields }

    func enrich(_ context: inout EnrichmentContext) {
        let vendor: String, name: String, format = "jsonschema", version: String
        switch context.mapped.eventType {
        case .pageView?: (vendor, name, version) = ("com.snowplowanalytics.snowplow", "page_view", "1-0-0")
        case .pagePing?: (vendor, name, version) = ("com.snowplowanalytics.snowplow", "page_ping", "1-0-0")
        case .structured?: (vendor, name, version) = ("com.google.analytics", "event", "1-0-0")
        case .transaction?: (vendor, name, version) = ("com.snowplowanalytics.snowplow", "transaction", "1-0-0")
        case .transactionItem?: (vendor, name, version) = ("com.snowplowanalytics.snowplow", "transaction_item", "1-0-0")
        case .unstructured?:
            guard let schema = context.mapped.unstructSchema else {
                fail(&context, field: "unstruct_event", value: nil, expectation: "a self-describing event is required for e=ue")
                return
            }
            context.event.eventVendor = schema.vendor
            context.event.eventName = schema.name
            context.event.eventFormat = schema.format
            context.event.eventVersion = schema.version.description
            return
        case .adImpression?, .unknown?, nil:
            fail(
                &context, field: "event", value: context.mapped.raw.event[.event],
                expectation: "trying to extract the schema of the enriched event but the event type is not recognised")
            return
        }
        context.event.eventVendor = vendor
        context.event.eventName = name
        context.event.eventFormat = format
        context.event.eventVersion = version
    }
}
