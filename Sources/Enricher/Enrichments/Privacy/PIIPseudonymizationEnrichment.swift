import Shared

/// What the PII enrichment reads from an event.
public struct PIIEventInput: Sendable {
    /// Current values of the pseudonymisable atomic fields; a field that is null is absent.
    public var scalarValues: [PIIScalarField: String]
    /// The `unstruct_event` column (`{"schema":"iglu:…/unstruct_event/…","data":{"schema":…,"data":…}}`).
    public var unstructEvent: String?
    /// The `contexts` column (`{"schema":"iglu:…/contexts/…","data":[{"schema":…,"data":…},…]}`).
    public var contexts: String?
    /// The `derived_contexts` column, same form as `contexts`.
    public var derivedContexts: String?
    /// `true` when the collector payload carried an `SP-Anonymous` header (see
    /// ``PIIPseudonymizationEnrichment/hasAnonymousHeader(_:)``).
    public var isAnonymous: Bool

    public init(
        scalarValues: [PIIScalarField: String] = [:],
        unstructEvent: String? = nil,
        contexts: String? = nil,
        derivedContexts: String? = nil,
        isAnonymous: Bool = false
    ) {
        self.scalarValues = scalarValues
        self.unstructEvent = unstructEvent
        self.contexts = contexts
        self.derivedContexts = derivedContexts
        self.isAnonymous = isAnonymous
    }
}

/// One value the enrichment replaced (the entries of Snowplow's `pii_transformation` event).
public struct PIIModification: Sendable, Equatable {
    /// The column: an atomic field name or `unstruct_event`/`contexts`/`derived_contexts`.
    public var fieldName: String
    public var originalValue: String
    public var modifiedValue: String
    /// For JSON fields: the configured path and the entity's schema URI.
    public var jsonPath: String?
    public var schema: String?
}

/// What the PII enrichment changed.
public struct PIIEventResult: Sendable, Equatable {
    /// New values of the atomic fields that were hashed (fields absent from the input stay absent).
    public var scalarValues: [PIIScalarField: String] = [:]
    /// New column text of each JSON field in which at least one value was hashed (compact JSON).
    /// Fields without a change are absent and keep their original text.
    public var jsonFields: [PIIJSONField: String] = [:]
    /// Every replaced value, in Snowplow's order (atomic fields, unstruct_event, contexts, derived).
    public var modifications: [PIIModification] = []
    /// With `emitEvent` and at least one change: the self-describing JSON of the extra
    /// `pii_transformation` event (`iglu:com.snowplowanalytics.snowplow/pii_transformation/jsonschema/1-0-0`)
    /// that the enricher emits as the `unstruct_event` of a new event with a `parent_event` entity.
    public var transformationEvent: String?

    /// The enriched-event columns this result overwrites, with their new values.
    public var columns: [(column: String, value: String)] {
        scalarValues.map { ($0.key.rawValue, $0.value) }.sorted { $0.column < $1.column }
            + jsonFields.map { ($0.key.rawValue, $0.value) }.sorted { $0.column < $1.column }
    }
}

/// Snowplow's PII pseudonymisation (`PiiPseudonymizerEnrichment`): replaces chosen atomic fields and
/// values inside self-describing JSON with `hex(hash(value + salt))`.
///
/// Semantics taken from snowplow/enrich:
/// - a null field is skipped; any present value, the empty string included, is hashed;
/// - inside JSON, a selected **string** is hashed; a selected **array** has its string elements hashed
///   (other elements kept); numbers, booleans, objects and null are left alone; nothing is ever added;
/// - several locators matching the same entity are applied in configuration order (a value selected
///   twice is hashed twice, as in Snowplow);
/// - with `anonymousOnly`, events without the `SP-Anonymous` header are not touched;
/// - a JSON column that is not valid JSON is left unchanged (enrich only sees validated JSON).
///
/// Value type; `pseudonymize` is a pure function, safe to call from any thread.
public struct PIIPseudonymizationEnrichment: Sendable {
    /// The validated parameters.
    public let configuration: PIIPseudonymizationConfiguration

    public init(configuration: PIIPseudonymizationConfiguration) {
        self.configuration = configuration
    }

    /// The pii_transformation event schema.
    public static let transformationSchema = "iglu:com.snowplowanalytics.snowplow/pii_transformation/jsonschema/1-0-0"

    /// Snowplow's test for the anonymous-tracking header: a collector header line (`"Name: value"`)
    /// whose lower-cased text starts with `sp-anonymous`.
    public static func hasAnonymousHeader(_ headers: [String]) -> Bool {
        headers.contains { header in
            // ASCII fast path: the first 12 bytes compared case-insensitively, when they and the byte
            // after them are ASCII (so no Unicode lower-casing or grapheme joining can change the answer);
            // anything else takes the exact test.
            let prefix = anonymousHeaderPrefix
            var bytes = header.utf8.makeIterator()
            for expected in prefix {
                guard let byte = bytes.next() else { return false }
                guard byte < 0x80 else { return header.lowercased().hasPrefix("sp-anonymous") }
                let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                if lower != expected { return false }
            }
            if let next = bytes.next(), next >= 0x80 { return header.lowercased().hasPrefix("sp-anonymous") }
            return true
        }
    }

    private static let anonymousHeaderPrefix: [UInt8] = Array("sp-anonymous".utf8)

    /// The salted hash Snowplow writes for `value`.
    public func scramble(_ value: String) -> String {
        configuration.hashFunction.hexDigest(value + configuration.salt)
    }

    /// Pseudonymises `event`'s configured fields.
    public func pseudonymize(_ event: PIIEventInput) -> PIIEventResult {
        var result = PIIEventResult()
        if configuration.anonymousOnly && !event.isAnonymous { return result }
        for field in configuration.scalarFields {
            // A field listed twice is hashed twice, as Snowplow's mutators run in sequence.
            guard let value = result.scalarValues[field] ?? event.scalarValues[field] else { continue }
            let hashed = scramble(value)
            result.scalarValues[field] = hashed
            result.modifications.append(
                PIIModification(fieldName: field.rawValue, originalValue: value, modifiedValue: hashed)
            )
        }
        let inputs: [(PIIJSONField, String?)] = [
            (.unstructEvent, event.unstructEvent), (.contexts, event.contexts), (.derivedContexts, event.derivedContexts),
        ]
        for (field, text) in inputs {
            let locators = configuration.jsonLocators.filter { $0.field == field }
            guard let text, !locators.isEmpty, let document = try? JSONValue(parsing: text) else { continue }
            var modifications: [PIIModification] = []
            let updated = pseudonymizeColumn(document, field: field, locators: locators, into: &modifications)
            if !modifications.isEmpty {
                result.jsonFields[field] = updated.compactText
                result.modifications += modifications
            }
        }
        if configuration.emitEvent && !result.modifications.isEmpty {
            result.transformationEvent = transformationEvent(result.modifications)
        }
        return result
    }

    /// The column is a wrapper `{"schema": …, "data": entity-or-array-of-entities}`.
    private func pseudonymizeColumn(
        _ document: JSONValue, field: PIIJSONField, locators: [PIIJSONLocator], into modifications: inout [PIIModification]
    ) -> JSONValue {
        guard case .object(var members) = document, let data = members["data"] else { return document }
        switch data {
        case .array(var entities):
            for j in entities.indices {
                entities[j] = pseudonymizeEntity(entities[j], field: field, locators: locators, into: &modifications)
            }
            members["data"] = .array(entities)
        case let entity:
            members["data"] = pseudonymizeEntity(entity, field: field, locators: locators, into: &modifications)
        }
        return .object(members)
    }

    private func pseudonymizeEntity(
        _ entity: JSONValue, field: PIIJSONField, locators: [PIIJSONLocator], into modifications: inout [PIIModification]
    ) -> JSONValue {
        guard case .object(var members) = entity, let schema = entity["schema"]?.stringValue,
            var data = members["data"]
        else { return entity }
        for locator in locators where locator.schemaCriterion.matches(schemaURI: schema) {
            data = locator.jsonPath.map(data) { value in
                func hash(_ original: String) -> String {
                    let hashed = scramble(original)
                    modifications.append(
                        PIIModification(
                            fieldName: field.rawValue, originalValue: original, modifiedValue: hashed,
                            jsonPath: locator.jsonPath.description, schema: schema
                        )
                    )
                    return hashed
                }
                switch value {
                case .string(let s):
                    return .string(hash(s))
                case .array(let elements):
                    return .array(elements.map { element in
                        if case .string(let s) = element { return .string(hash(s)) }
                        return element
                    })
                default:
                    return value
                }
            }
        }
        members["data"] = data
        return .object(members)
    }

    /// Snowplow's serialiser groups changes under `pojo` and `json` (first group met first) and, as it
    /// prepends while folding, lists each group's changes in reverse order.
    private func transformationEvent(_ modifications: [PIIModification]) -> String {
        var groups: [(name: String, items: [String])] = []
        for modification in modifications {
            let group = modification.jsonPath == nil ? "pojo" : "json"
            var item = "{\"fieldName\":" + JSONValue.quoted(modification.fieldName)
            item += ",\"originalValue\":" + JSONValue.quoted(modification.originalValue)
            item += ",\"modifiedValue\":" + JSONValue.quoted(modification.modifiedValue)
            if let path = modification.jsonPath, let schema = modification.schema {
                item += ",\"jsonPath\":" + JSONValue.quoted(path)
                item += ",\"schema\":" + JSONValue.quoted(schema)
            }
            item += "}"
            if let i = groups.firstIndex(where: { $0.name == group }) {
                groups[i].items.insert(item, at: 0)
            } else {
                groups.append((group, [item]))
            }
        }
        let pii = groups.map { "\"\($0.name)\":[" + $0.items.joined(separator: ",") + "]" }.joined(separator: ",")
        return "{\"schema\":\"\(Self.transformationSchema)\",\"data\":{\"pii\":{\(pii)},\"strategy\":{\"pseudonymize\":{\"hashFunction\":\"\(configuration.hashFunction.rawValue)\"}}}}"
    }
}
