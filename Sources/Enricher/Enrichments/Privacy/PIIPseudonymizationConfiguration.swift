import Shared

/// The atomic fields Snowplow allows to pseudonymise (`pojo` fields of `pii_enrichment_config`
/// 2-0-x, enrich `ScalarMutators.byFieldName`). Raw values are the enriched-event column names.
public enum PIIScalarField: String, Sendable, CaseIterable, Hashable {
    case userId = "user_id"
    case userIPAddress = "user_ipaddress"
    case userFingerprint = "user_fingerprint"
    case domainUserId = "domain_userid"
    case networkUserId = "network_userid"
    case ipOrganization = "ip_organization"
    case ipDomain = "ip_domain"
    case transactionOrderId = "tr_orderid"
    case transactionItemOrderId = "ti_orderid"
    case marketingTerm = "mkt_term"
    case marketingContent = "mkt_content"
    case structuredCategory = "se_category"
    case structuredAction = "se_action"
    case structuredLabel = "se_label"
    case structuredProperty = "se_property"
    case marketingClickId = "mkt_clickid"
    case refererDomainUserId = "refr_domain_userid"
    case domainSessionId = "domain_sessionid"
}

/// The JSON columns whose entities can be pseudonymised.
public enum PIIJSONField: String, Sendable, CaseIterable, Hashable {
    case unstructEvent = "unstruct_event"
    case contexts = "contexts"
    case derivedContexts = "derived_contexts"
}

/// One JSON location to pseudonymise: in `field`, inside every entity whose schema matches
/// `schemaCriterion`, the values selected by `jsonPath` (applied to the entity's `data`).
public struct PIIJSONLocator: Sendable, Equatable {
    public var field: PIIJSONField
    public var schemaCriterion: WildcardSchemaCriterion
    public var jsonPath: JSONPath

    /// Parses the configured strings; a bad criterion or path is a configuration error.
    public init(field: String, schemaCriterion: String, jsonPath: String) throws(FreshetError) {
        guard let parsedField = PIIJSONField(rawValue: field) else {
            throw FreshetError(.privacyInvalidConfiguration, "pii_enrichment_config: the specified json field \(field) is not supported")
        }
        guard let criterion = WildcardSchemaCriterion(schemaCriterion) else {
            throw FreshetError(.privacyInvalidConfiguration, "pii_enrichment_config: could not parse schema criterion \(schemaCriterion)")
        }
        self.field = parsedField
        self.schemaCriterion = criterion
        self.jsonPath = try JSONPath(jsonPath)
    }
}

/// Parameters of Snowplow's PII pseudonymisation enrichment
/// (`iglu:com.snowplowanalytics.snowplow.enrichments/pii_enrichment_config/jsonschema/2-0-1`).
///
/// Value type; safe to share between threads.
public struct PIIPseudonymizationConfiguration: Sendable, Equatable {
    /// Atomic fields to hash (`pii[].pojo.field`), in configuration order.
    public var scalarFields: [PIIScalarField]
    /// JSON locations to hash (`pii[].json`), in configuration order.
    public var jsonLocators: [PIIJSONLocator]
    /// `strategy.pseudonymize.hashFunction`.
    public var hashFunction: PIIHashFunction
    /// `strategy.pseudonymize.salt`, appended to each value before hashing.
    public var salt: String
    /// `emitEvent`: also produce a `pii_transformation` event listing each change. Default: `false`.
    public var emitEvent: Bool
    /// `anonymousOnly`: pseudonymise only events sent with the `SP-Anonymous` header. Default: `false`.
    public var anonymousOnly: Bool

    /// Builds the configuration from the configured strings; unknown field names are errors.
    public init(
        scalarFields: [String],
        jsonLocators: [PIIJSONLocator] = [],
        hashFunction: String,
        salt: String,
        emitEvent: Bool = false,
        anonymousOnly: Bool = false
    ) throws(FreshetError) {
        var fields: [PIIScalarField] = []
        for name in scalarFields {
            guard let field = PIIScalarField(rawValue: name) else {
                throw FreshetError(.privacyInvalidConfiguration, "pii_enrichment_config: the specified pojo field \(name) is not supported")
            }
            fields.append(field)
        }
        self.scalarFields = fields
        self.jsonLocators = jsonLocators
        self.hashFunction = try PIIHashFunction(configured: hashFunction)
        self.salt = salt
        self.emitEvent = emitEvent
        self.anonymousOnly = anonymousOnly
    }
}
