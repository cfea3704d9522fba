import Shared

/// Step 24: IP anonymisation masks the trailing octets/segments of `user_ipaddress`.
struct AnonymizeIPStep: Enrichment {
    let anonymizer: IPAnonymizationEnrichment
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .anonymizeIP }

    func enrich(_ context: inout EnrichmentContext) {
        context.event.userIpaddress = anonymizer.anonymize(context.event.userIpaddress)
    }
}

/// Step 25: PII pseudonymisation replaces the configured atomic fields and JSON values (in
/// `unstruct_event`, `contexts`, `derived_contexts`) with salted hashes. (`emitEvent`'s extra
/// `pii_transformation` event is not emitted.)
struct PIIPseudonymizationStep: Enrichment {
    let pseudonymizer: PIIPseudonymizationEnrichment
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .piiPseudonymization }

    func enrich(_ context: inout EnrichmentContext) {
        var scalars: [PIIScalarField: String] = [:]
        for field in pseudonymizer.configuration.scalarFields {
            if let column = EnrichedEventField.named(field.rawValue), let value = context.event.text(of: column) {
                scalars[field] = value
            }
        }
        let derived = context.derivedEntities.isEmpty ? nil : EnrichmentPipeline.derivedContextsJSON(context.derivedEntities)
        let input = PIIEventInput(
            scalarValues: scalars, unstructEvent: context.event.unstructEvent, contexts: context.event.contexts,
            derivedContexts: derived, isAnonymous: PIIPseudonymizationEnrichment.hasAnonymousHeader(context.headers))
        let result = pseudonymizer.pseudonymize(input)
        for (field, value) in result.scalarValues {
            if let column = EnrichedEventField.named(field.rawValue) { context.event.setText(value, of: column) }
        }
        if let text = result.jsonFields[.unstructEvent] { context.event.unstructEvent = text }
        if let text = result.jsonFields[.contexts] { context.event.contexts = text }
        if let text = result.jsonFields[.derivedContexts] {
            context.pseudonymizedDerivedContexts = text
        }
    }
}
