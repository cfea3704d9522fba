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

    /// The configured atomic fields with their columns, resolved once.
    private let scalarColumns: [(field: PIIScalarField, column: EnrichedEventField)]
    /// Which JSON columns some locator reads: the others are not handed over (and `derived_contexts`
    /// is not serialised) — the enrichment ignores a column without locators.
    private let readsUnstructEvent: Bool
    private let readsContexts: Bool
    private let readsDerivedContexts: Bool

    init(pseudonymizer: PIIPseudonymizationEnrichment, identity: BadRow.EnrichmentFailures.Enrichment?) {
        self.pseudonymizer = pseudonymizer
        self.identity = identity
        var columns: [(PIIScalarField, EnrichedEventField)] = []
        for field in pseudonymizer.configuration.scalarFields {
            if let column = EnrichedEventField.named(field.rawValue) { columns.append((field, column)) }
        }
        self.scalarColumns = columns
        let locators = pseudonymizer.configuration.jsonLocators
        self.readsUnstructEvent = locators.contains { $0.field == .unstructEvent }
        self.readsContexts = locators.contains { $0.field == .contexts }
        self.readsDerivedContexts = locators.contains { $0.field == .derivedContexts }
    }

    func enrich(_ context: inout EnrichmentContext) {
        var scalars: [PIIScalarField: String] = [:]
        for (field, column) in scalarColumns {
            if let value = context.event.text(of: column) { scalars[field] = value }
        }
        let derived =
            !readsDerivedContexts || context.derivedEntities.isEmpty ? nil : EnrichmentPipeline.derivedContextsJSON(context.derivedEntities)
        // `isAnonymous` only matters with `anonymousOnly`.
        let anonymous = pseudonymizer.configuration.anonymousOnly && PIIPseudonymizationEnrichment.hasAnonymousHeader(context.headers)
        let input = PIIEventInput(
            scalarValues: scalars, unstructEvent: readsUnstructEvent ? context.event.unstructEvent : nil,
            contexts: readsContexts ? context.event.contexts : nil, derivedContexts: derived, isAnonymous: anonymous)
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
