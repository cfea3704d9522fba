import Shared

/// The ``VisitorProfileStage`` backed by Redis: hands a batch of enriched events to a
/// ``VisitorProfileStore`` (one round trip) and applies what it answers — appends the
/// `iglu:io.freshet/visitor/jsonschema/1-0-0` context to each event's `derived_contexts`, flags
/// duplicates (the context's `duplicate` is `true`) or removes them when the store says to drop them.
///
/// Failure policy: the store is built with the enricher's ``VisitorProfileFailurePolicy`` as its
/// unavailable behaviour. Under `pause` the store itself retries the same batch (with the same stamp,
/// so a retry after a half-run attempt never counts events twice or calls them duplicates) and this
/// stage only returns once Redis answered. Under `skip` a batch that met an unreachable Redis comes
/// back skipped; the stage then throws the store's retriable error with `events` unchanged, and
/// ``VisitorProfileGate`` lets the batch go on without profile fields.
///
/// Threading: `Sendable`, immutable; any task may call ``process(_:)``.
struct RedisVisitorProfileStage: VisitorProfileStage {
    let store: VisitorProfileStore
    let readinessCheck: ReadinessCheck?

    init(store: VisitorProfileStore, readinessCheck: ReadinessCheck?) {
        self.store = store
        self.readinessCheck = readinessCheck
    }

    func process(_ events: inout [EnrichedEvent], sources: [String]) async throws -> VisitorProfileBatchResult {
        let fallback = SnowplowTimestamp.now()
        let inputs = events.indices.map { index in
            VisitorProfileInput(
                event: events[index], fallbackTimestamp: fallback, source: index < sources.count ? sources[index] : nil)
        }
        let started = ContinuousClock.now
        let batch = try await store.update(inputs)
        let latency = ContinuousClock.now - started
        if case .skipped(let error) = batch.status { throw error }
        var kept: [EnrichedEvent] = []
        kept.reserveCapacity(events.count)
        var result = VisitorProfileBatchResult(redisLatency: latency)
        for (event, output) in zip(events, batch.outputs) {
            if output.isDuplicate { result.duplicates += 1 }
            if output.shouldDrop {
                result.dropped += 1
                continue
            }
            var event = event
            if let context = output.context {
                event.derivedContexts = Self.appending(context, to: event.derivedContexts)
            }
            kept.append(event)
        }
        events = kept
        return result
    }

    /// `derivedContexts` (a `contexts/jsonschema/1-0-1` wrapper, or `nil`) with `context` appended to its
    /// `data` array.
    static func appending(_ context: VisitorContext, to derivedContexts: String?) -> String {
        appending(context.selfDescribingJSON.serialized(), to: derivedContexts)
    }

    /// `derivedContexts` (a `contexts/jsonschema/1-0-1` wrapper, or `nil`) with `entity` (a serialised
    /// self-describing JSON) appended to its `data` array.
    static func appending(_ entity: String, to derivedContexts: String?) -> String {
        guard let text = derivedContexts, !text.isEmpty else {
            return "{\"schema\":\"\(EventMapper.contextsSchema)\",\"data\":[\(entity)]}"
        }
        // Our own serialisations are `{"schema":…,"data":[…]}` exactly; anything else is re-parsed.
        if text.hasPrefix("{\"schema\":\"\(EventMapper.contextsSchema)\",\"data\":["), text.hasSuffix("]}") {
            let head = text.dropLast(2)
            let separator = head.hasSuffix("[") ? "" : ","
            return head + separator + entity + "]}"
        }
        guard case .success(let parsed) = JSONParser().parse(text), case .object(var wrapper) = parsed,
            case .array(var data) = wrapper["data"] ?? .array([]), case .success(let value) = JSONParser().parse(entity)
        else { return text }
        data.append(value)
        wrapper["data"] = .array(data)
        return JSONValue.object(wrapper).serialized()
    }
}
