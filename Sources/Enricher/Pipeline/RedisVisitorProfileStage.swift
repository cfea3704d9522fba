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

    func process(_ events: inout [EnrichedEvent], sources: [String], order: ProfileOrder) async throws -> VisitorProfileBatchResult {
        let fallback = SnowplowTimestamp.now()
        // Through the buffer: `events[index]` would copy each 131-column event.
        let inputs = events.withUnsafeBufferPointer { events in
            events.indices.map { index in
                VisitorProfileInput(
                    event: events[index], fallbackTimestamp: fallback, source: index < sources.count ? sources[index] : nil)
            }
        }
        let started = ContinuousClock.now
        let batch = try await store.update(inputs, order: order)
        let latency = ContinuousClock.now - started
        if case .skipped(let error) = batch.status { throw error }
        guard batch.outputs.count == events.count else {  // the reply parser guarantees it; never lose or invent events
            throw FreshetError(
                .visitorProfileMalformedReply,
                "the visitor profile answered \(batch.outputs.count) outputs for \(events.count) events")
        }
        // In place: an event is a large struct, so no copy of the batch; dropped events are moved to the
        // end (kept ones keep their order) and cut off.
        var result = VisitorProfileBatchResult(redisLatency: latency)
        var kept = 0
        for (index, output) in batch.outputs.enumerated() {
            if output.isDuplicate { result.duplicates += 1 }
            if output.shouldDrop {
                result.dropped += 1
                continue
            }
            if let context = output.context {
                events[index].derivedContexts = Self.appending(context, renderedTouches: output.renderedTouches, to: events[index].derivedContexts)
            }
            if kept != index { events.swapAt(kept, index) }
            kept += 1
        }
        if kept < events.count { events.removeSubrange(kept...) }
        return result
    }

    /// `derivedContexts` (a `contexts/jsonschema/1-0-1` wrapper, or `nil`) with `context` appended to its
    /// `data` array.
    /// The same text as `appending(context.selfDescribingJSON.serialized(), to:)`, written in one buffer
    /// without a JSON tree (one per event: the hot path).
    /// `renderedTouches`: the context's touches already rendered (``VisitorProfileOutput/renderedTouches``).
    static func appending(_ context: VisitorContext, renderedTouches: VisitorContext.RenderedTouches? = nil, to derivedContexts: String?) -> String {
        var output: [UInt8] = []
        guard var text = derivedContexts, !text.isEmpty else {
            output.reserveCapacity(contextsHead.count + 640)
            output.append(contentsOf: contextsHead)
            context.writeSelfDescribing(to: &output, renderedTouches: renderedTouches)
            output.append(contentsOf: contextsTail)
            return String(decoding: output, as: UTF8.self)
        }
        // Our own serialisations are `{"schema":…,"data":[…]}` exactly; anything else is re-parsed.
        let own = text.withUTF8 { bytes -> Bool in
            guard bytes.count >= contextsHead.count + contextsTail.count,
                bytes.starts(with: contextsHead), bytes[bytes.count - 2] == UInt8(ascii: "]"),
                bytes[bytes.count - 1] == UInt8(ascii: "}")
            else { return false }
            output.reserveCapacity(bytes.count + 640)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<bytes.count - 2]))
            if bytes[bytes.count - 3] != UInt8(ascii: "[") { output.append(UInt8(ascii: ",")) }
            return true
        }
        guard own else {
            var entity: [UInt8] = []
            context.writeSelfDescribing(to: &entity, renderedTouches: renderedTouches)
            return appending(String(decoding: entity, as: UTF8.self), to: text)
        }
        context.writeSelfDescribing(to: &output, renderedTouches: renderedTouches)
        output.append(contentsOf: contextsTail)
        return String(decoding: output, as: UTF8.self)
    }

    private static let contextsHead = Array("{\"schema\":\"\(EventMapper.contextsSchema)\",\"data\":[".utf8)
    private static let contextsTail = Array("]}".utf8)

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
