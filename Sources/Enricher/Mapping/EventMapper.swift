import Shared

/// Phase 1 of enrichment (reference §3.1 step 4, §1.4, §1.6): maps a raw event's parameters to the
/// enriched event's columns, applying the conversions and the precedence rules, and collects every
/// conversion or self-describing-JSON problem as a `schema_violations` message.
///
/// Precedence: `event_id` = `eid` else a fresh UUID v4; `v_collector` = `cv` else the collector's name;
/// `network_userid` = `tnuid` > `nuid` > the collector cookie; `user_ipaddress` = `ip` >
/// `X-Forwarded-For` > `Forwarded: for=` > the collector's address; `useragent` = `ua` > `User-Agent`;
/// `page_url` = `url` > `Referer`; `collector_tstamp` from the payload, `etl_tstamp` the enricher's
/// clock, `v_etl` = ``vEtl``.
///
/// A value with no mutable state; safe from any thread.
struct EventMapper: Sendable {
    /// `iglu:com.snowplowanalytics.snowplow/atomic/jsonschema/1-0-0`: what conversion failures are
    /// reported against.
    static let atomicSchema = "iglu:com.snowplowanalytics.snowplow/atomic/jsonschema/1-0-0"
    /// The wrapper written into the `contexts` and `derived_contexts` columns.
    static let contextsSchema = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"
    /// The wrapper written into the `unstruct_event` column.
    static let unstructEventSchema = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"

    /// `v_etl`, e.g. `freshet-enricher-0.1.0`.
    var vEtl: String
    /// Deepest JSON nesting accepted in `co`/`cx`/`ue_pr`/`ue_px`. Default: 40 (enrich's `maxJsonDepth`).
    var maxJSONDepth = TrackerEvent.defaultMaxJSONDepth

    /// Maps `raw`; `etlTimestamp` is the enricher's clock for this batch.
    func map(_ raw: RawEvent, etlTimestamp: SnowplowTimestamp) -> MappedEvent {
        let event = raw.event
        let payload = raw.payload
        var violations: [BadRow.SchemaViolations.Message] = []
        var enriched = EnrichedEvent()

        func take<T>(_ result: Result<T?, ParameterViolation>) -> T? {
            switch result {
            case .success(let value): return value
            case .failure(let violation):
                violations.append(Self.message(violation))
                return nil
            }
        }
        func timestamp(_ result: Result<TrackerTimestamp?, ParameterViolation>) -> SnowplowTimestamp? {
            take(result).flatMap { SnowplowTimestamp(millisecondsSinceEpoch: $0.millisecondsSinceEpoch) }
        }
        func decimal(_ result: Result<TrackerDecimal?, ParameterViolation>) -> SnowplowDecimal? {
            take(result).flatMap { SnowplowDecimal($0.plainText) }
        }
        func integer(_ result: Result<Int32?, ParameterViolation>) -> Int? { take(result).map(Int.init) }

        // Set up by the enricher (EnrichmentManager.setupEnrichedEvent).
        enriched.etlTstamp = etlTimestamp
        enriched.vEtl = vEtl
        if let collectorTime = SnowplowTimestamp(millisecondsSinceEpoch: payload.timestamp) {
            enriched.collectorTstamp = collectorTime
        } else {
            violations.append(
                Self.atomicViolation(
                    field: "collector_tstamp", value: String(payload.timestamp),
                    message: "Formatting as yyyy-MM-dd HH:mm:ss.SSS is not Redshift-compatible"))
        }
        enriched.vCollector = event.collectorVersion ?? ParameterConversion.tsvSafe(payload.collector)
        enriched.networkUserid = event.effectiveNetworkUserID ?? ParameterConversion.tsvSafe(payload.networkUserId)
        enriched.userIpaddress =
            event.ipAddress ?? ParameterConversion.tsvSafe(ClientAddress.extract(headers: payload.headers, recorded: payload.ipAddress))
        enriched.useragent = event.userAgent ?? ParameterConversion.tsvSafe(payload.userAgent)

        // The parameter map (Transform.transformMap).
        let eventType = take(event.validatedEventType)
        enriched.event = eventType?.eventName
        enriched.platform = take(event.validatedPlatform).map { _ in event[.platform]! }
        enriched.vTracker = event.trackerVersion
        enriched.nameTracker = event.trackerNamespace
        enriched.appId = event.appID
        enriched.eventId = take(event.eventID) ?? EventIdentifier.random()
        enriched.txnId = integer(event.transactionID)
        enriched.dvceCreatedTstamp = timestamp(event.deviceCreatedTimestamp)
        enriched.dvceSentTstamp = timestamp(event.deviceSentTimestamp)
        enriched.trueTstamp = timestamp(event.trueTimestamp)
        enriched.osTimezone = event.timezone
        enriched.userId = event.userID
        enriched.domainUserid = event.domainUserID
        enriched.domainSessionid = take(event.domainSessionID)
        enriched.domainSessionidx = integer(event.domainSessionIndex)
        enriched.userFingerprint = event.fingerprint
        enriched.pageUrl = event.pageURL ?? ParameterConversion.tsvSafe(payload.refererUri)
        enriched.pageTitle = event.pageTitle
        enriched.pageReferrer = event.pageReferrer
        if let size = take(event.screenResolution) {
            enriched.dvceScreenwidth = Int(size.width)
            enriched.dvceScreenheight = Int(size.height)
        }
        if let size = take(event.viewport) {
            enriched.brViewwidth = Int(size.width)
            enriched.brViewheight = Int(size.height)
        }
        if let size = take(event.documentSize) {
            enriched.docWidth = Int(size.width)
            enriched.docHeight = Int(size.height)
        }
        enriched.brColordepth = event.colorDepth
        enriched.docCharset = event.documentCharset
        enriched.brLang = event.browserLanguage
        enriched.brCookies = take(event.cookiesEnabled)
        enriched.brFeaturesPdf = take(event.browserFeature(.featurePDF))
        enriched.brFeaturesFlash = take(event.browserFeature(.featureFlash))
        enriched.brFeaturesJava = take(event.browserFeature(.featureJava))
        enriched.brFeaturesDirector = take(event.browserFeature(.featureDirector))
        enriched.brFeaturesQuicktime = take(event.browserFeature(.featureQuickTime))
        enriched.brFeaturesRealplayer = take(event.browserFeature(.featureRealPlayer))
        enriched.brFeaturesWindowsmedia = take(event.browserFeature(.featureWindowsMedia))
        enriched.brFeaturesGears = take(event.browserFeature(.featureGears))
        enriched.brFeaturesSilverlight = take(event.browserFeature(.featureSilverlight))
        enriched.seCategory = event.structCategory
        enriched.seAction = event.structAction
        enriched.seLabel = event.structLabel
        enriched.seProperty = event.structProperty
        enriched.seValue = decimal(event.structValue)
        enriched.trOrderid = event.transactionOrderID
        enriched.trAffiliation = event.transactionAffiliation
        enriched.trTotal = decimal(event.transactionTotal)
        enriched.trTax = decimal(event.transactionTax)
        enriched.trShipping = decimal(event.transactionShipping)
        enriched.trCity = event.transactionCity
        enriched.trState = event.transactionState
        enriched.trCountry = event.transactionCountry
        enriched.trCurrency = event.transactionCurrency
        enriched.tiOrderid = event.itemOrderID
        enriched.tiSku = event.itemSKU
        enriched.tiName = event.itemName
        enriched.tiCategory = event.itemCategory
        enriched.tiPrice = decimal(event.itemPrice)
        enriched.tiQuantity = integer(event.itemQuantity)
        enriched.tiCurrency = event.itemCurrency
        enriched.ppXoffsetMin = integer(event.pingXOffsetMin)
        enriched.ppXoffsetMax = integer(event.pingXOffsetMax)
        enriched.ppYoffsetMin = integer(event.pingYOffsetMin)
        enriched.ppYoffsetMax = integer(event.pingYOffsetMax)

        // Self-describing JSON (§1.5).
        switch event.contexts(maxJSONDepth: maxJSONDepth) {
        case .success(let entities):
            if !entities.isEmpty { enriched.contexts = Self.contextsJSON(entities) }
        case .failure(let problems):
            violations += problems.all.map(Self.message)
        }
        var unstructSchema: SchemaKey?
        switch event.unstructEvent(maxJSONDepth: maxJSONDepth) {
        case .success(let inner?):
            unstructSchema = inner.schema
            enriched.unstructEvent = Self.unstructEventJSON(inner)
        case .success(nil): break
        case .failure(let problems):
            violations += problems.all.map(Self.message)
        }

        // Read before `enriched` is handed over, so that it moves instead of being copied.
        let clientAddress = enriched.userIpaddress
        return MappedEvent(
            event: enriched, raw: raw, eventType: eventType, unstructSchema: unstructSchema,
            clientAddress: clientAddress, violations: violations)
    }

    /// `{"schema":"…/contexts/jsonschema/1-0-1","data":[entities]}`.
    static func contextsJSON(_ entities: [JSONValue]) -> String {
        let wrapper: JSONValue = ["schema": .string(contextsSchema), "data": .array(entities)]
        return wrapper.serialized()
    }

    /// ``contextsJSON(_:)-([JSONValue])`` of the entities' `{"schema","data"}` objects, written
    /// straight into bytes (the same compact serialisation, without building the wrapper tree).
    static func contextsJSON(_ entities: [SelfDescribingJSON]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        output.append(contentsOf: contextsPrefix)
        for (position, entity) in entities.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            appendSelfDescribing(entity, to: &output)
        }
        output.append(UInt8(ascii: "]"))
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }

    /// `{"schema":"…/unstruct_event/jsonschema/1-0-0","data":{"schema":…,"data":…}}`, as the
    /// serialisation of that wrapper.
    static func unstructEventJSON(_ event: SelfDescribingJSON) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        output.append(contentsOf: unstructEventPrefix)
        appendSelfDescribing(event, to: &output)
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }

    /// `{"schema":"<uri>","data":<data>}`: ``SelfDescribingJSON/json`` serialised.
    private static func appendSelfDescribing(_ entity: SelfDescribingJSON, to output: inout [UInt8]) {
        output.append(contentsOf: schemaMember)
        JSONValue.writeString(entity.schema.uri, to: &output)
        output.append(contentsOf: dataMember)
        entity.data.write(to: &output)
        output.append(UInt8(ascii: "}"))
    }

    private static let schemaMember: [UInt8] = Array("{\"schema\":".utf8)
    private static let dataMember: [UInt8] = Array(",\"data\":".utf8)
    private static let contextsPrefix: [UInt8] = {
        var bytes = schemaMember
        JSONValue.writeString(contextsSchema, to: &bytes)
        return bytes + dataMember + [UInt8(ascii: "[")]
    }()
    private static let unstructEventPrefix: [UInt8] = {
        var bytes = schemaMember
        JSONValue.writeString(unstructEventSchema, to: &bytes)
        return bytes + dataMember
    }()

    /// A conversion or self-describing-JSON problem in the bad row's wording.
    static func message(_ violation: ParameterViolation) -> BadRow.SchemaViolations.Message {
        switch violation.kind {
        case .invalidValue:
            return atomicViolation(field: violation.field, value: violation.value, message: violation.expectation)
        case .notBase64, .notJSON, .jsonTooDeep:
            return .notJSON(field: violation.field, value: violation.value, error: violation.expectation)
        case .notSelfDescribing:
            return .notIglu(json: violation.value ?? "", error: .invalidDataPayload)
        case .criterionMismatch:
            let criterion =
                violation.field.hasPrefix("ue")
                ? "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-*-*"
                : "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-*-*"
            // The expectation reads "schema <uri> does not match <criterion>".
            let words = violation.expectation.split(separator: " ")
            let schemaKey = words.count > 1 ? String(words[1]) : violation.expectation
            return .criterionMismatch(schemaKey: schemaKey, schemaCriterion: criterion)
        }
    }

    /// A problem with one atomic field, reported against the `atomic` schema.
    static func atomicViolation(field: String, value: String?, message: String) -> BadRow.SchemaViolations.Message {
        .igluError(
            schemaKey: atomicSchema,
            error: .invalidData(dataReports: [
                IgluClientError.DataReport(message: message, path: field, keyword: nil, targets: value.map { [$0] } ?? [])
            ]))
    }
}
