extension TrackerEvent {
    /// Enrich's default maximum JSON nesting for `co`/`cx`/`ue_pr`/`ue_px` (`maxJsonDepth`).
    public static let defaultMaxJSONDepth = 40

    /// The context entities of `cx` (base64) or `co` (plain JSON), checked against §1.5: a
    /// self-describing `contexts` 1-0-* wrapper whose `data` is an array of self-describing JSONs
    /// (each with exactly `schema` — a valid Iglu URI — and `data`).
    ///
    /// Absent or empty parameters give `[]`. When both are present `cx` is used (the redirect adapter
    /// also extends `cx` first). Every invalid entity is reported, not only the first. Entity data
    /// is not validated against its own schema here (that needs an Iglu resolver).
    public func contexts(maxJSONDepth: Int = TrackerEvent.defaultMaxJSONDepth) -> Result<[SelfDescribingJSON], ParameterViolations> {
        let source: (field: String, value: String, base64: Bool)
        if let cx = parameters[.contextsBase64], !cx.isEmpty {
            source = ("cx", cx, true)
        } else if let co = parameters[.contexts], !co.isEmpty {
            source = ("co", co, false)
        } else {
            return .success([])
        }
        let wrapper: SelfDescribingJSON
        switch SelfDescribingDecoding.wrapper(
            source.value, base64: source.base64, field: source.field, criterion: .contexts, maxDepth: maxJSONDepth)
        {
        case .success(let decoded): wrapper = decoded
        case .failure(let violation): return .failure(ParameterViolations(violation))
        }
        guard case .array(let items) = wrapper.data else {
            return .failure(
                ParameterViolations(
                    ParameterViolation(
                        .notSelfDescribing, field: source.field, value: source.value,
                        expectation: "data of \(wrapper.schema.uri) must be an array of self-describing JSONs, got \(wrapper.data.typeName)"
                    )))
        }
        var entities: [SelfDescribingJSON] = []
        entities.reserveCapacity(items.count)
        var violations: [ParameterViolation] = []
        for (position, item) in items.enumerated() {
            switch SelfDescribingJSON.validate(item) {
            case .success(let entity): entities.append(entity)
            case .failure(let error):
                violations.append(
                    ParameterViolation(
                        .notSelfDescribing, field: source.field, value: source.value, expectation: "context entity \(position): \(error)"))
            }
        }
        return violations.isEmpty ? .success(entities) : .failure(ParameterViolations(violations))
    }

    /// The self-describing event of `ue_px` (base64) or `ue_pr` (plain JSON), checked against §1.5:
    /// a self-describing `unstruct_event` 1-0-* wrapper whose `data` is itself a self-describing JSON.
    /// Returns the inner event. Absent or empty parameters give `nil`; `ue_px` wins over `ue_pr`.
    public func unstructEvent(maxJSONDepth: Int = TrackerEvent.defaultMaxJSONDepth) -> Result<SelfDescribingJSON?, ParameterViolations> {
        let source: (field: String, value: String, base64: Bool)
        if let px = parameters[.unstructEventBase64], !px.isEmpty {
            source = ("ue_px", px, true)
        } else if let pr = parameters[.unstructEvent], !pr.isEmpty {
            source = ("ue_pr", pr, false)
        } else {
            return .success(nil)
        }
        let wrapper: SelfDescribingJSON
        switch SelfDescribingDecoding.wrapper(
            source.value, base64: source.base64, field: source.field, criterion: .unstructEvent, maxDepth: maxJSONDepth)
        {
        case .success(let decoded): wrapper = decoded
        case .failure(let violation): return .failure(ParameterViolations(violation))
        }
        switch SelfDescribingJSON.validate(wrapper.data) {
        case .success(let event): return .success(event)
        case .failure(let error):
            return .failure(
                ParameterViolations(
                    ParameterViolation(
                        .notSelfDescribing, field: source.field, value: source.value, expectation: "unstructured event: \(error)")))
        }
    }
}

/// The shared steps of decoding a self-describing JSON parameter: base64, JSON, structure, wrapper
/// schema.
enum SelfDescribingDecoding {
    static func wrapper(
        _ value: String, base64: Bool, field: String, criterion: SchemaCriterion, maxDepth: Int
    ) -> Result<SelfDescribingJSON, ParameterViolation> {
        let text: String
        if base64 {
            guard case .success(let bytes) = Base64.decode(value.utf8, options: .lenient) else {
                return .failure(
                    ParameterViolation(
                        .notBase64, field: field, value: value,
                        expectation: "base64 (URL-safe or standard alphabet, padding optional)"))
            }
            // Invalid UTF-8 becomes U+FFFD, as enrich's `new String(bytes, UTF_8)` does.
            text = String(decoding: bytes, as: UTF8.self)
        } else {
            text = value
        }
        let json: JSONValue
        switch JSONParser(maxDepth: maxDepth).parse(text) {
        case .success(let parsed): json = parsed
        case .failure(let error):
            if case .tooDeep = error.reason {
                return .failure(
                    ParameterViolation(.jsonTooDeep, field: field, value: value, expectation: "JSON nested at most \(maxDepth) levels deep"))
            }
            return .failure(ParameterViolation(.notJSON, field: field, value: value, expectation: "valid JSON: \(error)"))
        }
        let wrapper: SelfDescribingJSON
        switch SelfDescribingJSON.validate(json) {
        case .success(let decoded): wrapper = decoded
        case .failure(let error):
            return .failure(ParameterViolation(.notSelfDescribing, field: field, value: value, expectation: error.description))
        }
        guard criterion.matches(wrapper.schema) else {
            return .failure(
                ParameterViolation(
                    .criterionMismatch, field: field, value: value,
                    expectation: "schema \(wrapper.schema.uri) does not match \(criterion)"))
        }
        return .success(wrapper)
    }
}
