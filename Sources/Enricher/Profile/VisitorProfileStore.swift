import Logging
import Shared

/// Keeps visitor profiles, server-side sessions and duplicate markers in Redis and turns each event of
/// a batch into a ``VisitorProfileOutput`` (a visitor context, a duplicate flag or a drop).
///
/// One batch is one Redis round trip: a Lua script (``VisitorProfileScript``) that reads and updates
/// every visitor of the batch atomically, so any number of enrichers (and concurrent batches of one
/// enricher) may update the same visitor: counts stay exact and the session sequence stays single.
/// The rules for sessions, late events, touches and duplicates are in `docs/visitor-profile.md`.
///
/// Redis unreachable: under ``VisitorProfileConfiguration/UnavailableBehaviour/pause`` ``update(_:)``
/// does not return until Redis answered (it retries the same batch with backoff; the caller, which is
/// awaiting it, consumes nothing meanwhile) — only cancelling the task ends the wait, with
/// `CancellationError`. A retry is safe even when an earlier attempt did run (the connection broke after
/// sending): the batch's stamp makes the script recognise its own event ids instead of counting them
/// twice or calling them duplicates. Under ``VisitorProfileConfiguration/UnavailableBehaviour/skip``
/// the batch comes back ``VisitorProfileBatch/Status/skipped(_:)`` after one failed attempt.
///
/// Threading: a `Sendable` value; call ``update(_:)`` from any task, concurrently if wanted (each
/// call uses one of the client's connections). Lifetime: holds the ``RedisClient`` (a shared handle).
struct VisitorProfileStore: Sendable {
    let configuration: VisitorProfileConfiguration
    private let redis: RedisClient
    private let logger: Logger
    private let metrics: VisitorProfileMetrics
    private let clock: @Sendable () -> Int64
    private let onPauseChange: (@Sendable (_ paused: Bool) -> Void)?

    /// - Parameters:
    ///   - clock: wall-clock time in ms, for the duplicate window (tests move it instead of sleeping).
    ///   - onPauseChange: called with `true` when a batch starts waiting for Redis (`pause` behaviour) and
    ///     with `false` when it goes on (Redis answered, or the wait was cancelled); e.g. to report the
    ///     service not ready meanwhile. Called on the updating task; must not block.
    /// - Throws: ``FreshetError/Code/invalidConfiguration`` when `configuration` does not validate.
    init(
        redis: RedisClient, configuration: VisitorProfileConfiguration,
        metrics: PipelineMetrics = PipelineMetrics(service: "enricher"),
        logger: Logger = Logger(label: "freshet.enricher.visitor-profile"),
        clock: @escaping @Sendable () -> Int64 = { SnowplowTimestamp.now().millisecondsSinceEpoch },
        onPauseChange: (@Sendable (_ paused: Bool) -> Void)? = nil
    ) throws {
        try configuration.validate()
        var logger = logger
        logger[metadataKey: "component"] = "visitor_profile"
        self.redis = redis
        self.configuration = configuration
        self.logger = logger
        self.metrics = VisitorProfileMetrics(pipeline: metrics, duplicateAction: configuration.duplicateAction)
        self.clock = clock
        self.onPauseChange = onPauseChange
    }

    /// Applies `inputs` to the visitor profiles in one round trip and returns one output per input, in
    /// input order. See the type's documentation for what happens while Redis is unreachable.
    ///
    /// - Throws: `CancellationError` when cancelled while paused;
    ///   ``FreshetError/Code/visitorProfileScriptFailed`` or ``FreshetError/Code/visitorProfileMalformedReply``
    ///   when Redis answers but the script fails (not retriable: a human must look).
    ///
    /// `order`: the request is built first, then queued on the ordered connection right after
    /// `order.previous` queued its own (``ProfileTurn``); it is sent only once the predecessor was
    /// answered, and after a failure goes again only once the predecessor is done. `order.turn` ends once
    /// Redis answered (or the batch was skipped), before the answer is read — so consecutive batches reach
    /// Redis in order while their preparation and reading overlap. A batch that
    /// needs no Redis work, or fails, leaves `order.turn` to the caller (``ProfileOrder/pass()``).
    func update(_ inputs: [VisitorProfileInput], order: ProfileOrder = .unordered) async throws -> VisitorProfileBatch {
        let now = clock()
        let stamp = Double(now) + Double(Int.random(in: 1...4095)) / 4096
        let request = VisitorProfileRequest(inputs: inputs, configuration: configuration, now: now, stamp: stamp)
        guard !request.isEmpty else {
            return VisitorProfileBatch(
                outputs: Array(repeating: .none, count: inputs.count), status: .applied, attempts: 0)
        }
        // Queued right behind the predecessor's call: the connection's thread sends this one as soon as
        // the predecessor's is answered. A retry (after a failure, or after being withheld because the
        // predecessor failed) waits until the predecessor is done with Redis altogether.
        await order.previous?.waitUntilQueued()
        var pause = VisitorProfilePause(initial: configuration.retryBackoff, maximum: configuration.maximumRetryBackoff)
        var attempts = 0
        let (previous, turn, roundTrip) = (order.previous, order.turn, metrics.roundTrip)
        while true {
            attempts += 1
            let reply: RedisValue
            do {
                reply = try await redis.evalScriptInOrder(
                    VisitorProfileScript.script, keys: request.keys, arguments: request.arguments,
                    proceed: { previous?.isAnswered ?? true },
                    answered: { reply, took in
                        // An error reply (e.g. a transient LOADING or BUSY, retried below) is not an
                        // answer the next batch may follow: it waits until this one ended.
                        if reply.errorMessage == nil { turn?.markAnswered() }
                        roundTrip.recordNanoseconds(Self.nanoseconds(took))
                    },
                    enqueued: { turn?.markQueued() })
                order.turn?.end()
            } catch let error as FreshetError where error.code == .redisCallWithheld {
                // The predecessor's call failed and this one was not sent: go again after its retry.
                attempts -= 1
                await order.previous?.waitUntilEnded()
                continue
            } catch let error as FreshetError where error.isRedisUnavailability {
                await order.previous?.waitUntilEnded()
                let unavailable = FreshetError(
                    .visitorProfileUnavailable,
                    "Redis at \(redis.configuration.address) is unreachable for visitor profiles: \(error.message)",
                    retriable: true, underlying: error)
                switch configuration.unavailableBehaviour {
                case .skip:
                    order.turn?.end()
                    metrics.skipped.increment(by: inputs.count)
                    logger.warning(
                        "Redis unreachable; events go on without visitor profile",
                        metadata: [
                            "error.code": "\(error.code)", "error.message": "\(error.message)",
                            "events": "\(inputs.count)",
                        ])
                    return VisitorProfileBatch(
                        outputs: Array(repeating: .none, count: inputs.count), status: .skipped(unavailable),
                        attempts: attempts)
                case .pause:
                    let wait = pause.recordFailure(at: .now)
                    metrics.retries.increment()
                    if pause.failures == 1 {
                        metrics.paused.record(1)
                        onPauseChange?(true)
                        logger.warning(
                            "Redis unreachable; pausing until it answers (nothing is lost)",
                            metadata: ["error.code": "\(error.code)", "error.message": "\(error.message)"])
                    }
                    do {
                        try await Task.sleep(for: wait)
                    } catch {
                        metrics.paused.record(0)
                        onPauseChange?(false)
                        throw error
                    }
                    continue
                }
            } catch let error as FreshetError {
                throw FreshetError(
                    .visitorProfileScriptFailed,
                    "The visitor profile script failed in Redis: \(error.message); check Redis (maxmemory, foreign keys under the prefix \(configuration.keyPrefix))",
                    underlying: error)
            }
            if let pausedFor = pause.recordSuccess(at: .now) {
                metrics.paused.record(0)
                onPauseChange?(false)
                logger.info(
                    "Redis answers again; visitor profiles resumed",
                    metadata: ["paused_for": "\(pausedFor)", "attempts": "\(attempts)"])
            }
            let outputs = try VisitorProfileReply.outputs(
                from: reply, request: request, inputs: inputs, configuration: configuration)
            let batch = VisitorProfileBatch(outputs: outputs, status: .applied, attempts: attempts)
            let duplicates = batch.duplicateCount
            if duplicates > 0 { metrics.duplicates.increment(by: duplicates) }
            return batch
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
