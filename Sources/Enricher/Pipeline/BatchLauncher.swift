import Shared

/// Starts consecutive batches through a ``BatchEnricher`` — for the service and the offline mode alike:
/// each batch is enriched in a task of its own, at most ``BatchEnricher/concurrentBatches`` at once
/// (``start(_:onEnriched:)`` waits for room), and gets its visitor-profile turn right after the previous
/// batch's (``ProfileOrder``), so Redis sees the batches in the order they were started.
///
/// Threading: a value owned by the one loop that starts batches.
struct BatchLauncher {
    let enricher: BatchEnricher
    private var enriching: [Task<Void, Never>] = []
    private var lastTurn: ProfileTurn?

    init(enricher: BatchEnricher) {
        self.enricher = enricher
    }

    /// Waits until fewer than ``BatchEnricher/concurrentBatches`` batches are being enriched, then starts
    /// enriching `records`. `onEnriched` is called in the enriching task with the number of outputs (events
    /// and bad rows) and the time the enrichment took.
    mutating func start(
        _ records: [[UInt8]], onEnriched: (@Sendable (_ outputs: Int, _ took: Duration) -> Void)? = nil
    ) async -> LaunchedBatch {
        while enriching.count >= enricher.concurrentBatches { await enriching.removeFirst().value }
        let (enricher, handOff, started) = (self.enricher, OutputHandOff(), ContinuousClock.now)
        let enrichment = Task {
            let output = await enricher.process(records)
            onEnriched?(output.events.count + output.badRows.count, ContinuousClock.now - started)
            handOff.put(output)
        }
        enriching.append(enrichment)
        let turn = ProfileTurn()
        defer { lastTurn = turn }
        return LaunchedBatch(enrichment: enrichment, handOff: handOff, order: ProfileOrder(after: lastTurn, turn: turn))
    }
}

/// A batch started by ``BatchLauncher``: its output once enriched, and its place among the batches'
/// visitor-profile round trips.
struct LaunchedBatch: Sendable {
    fileprivate let enrichment: Task<Void, Never>
    fileprivate let handOff: OutputHandOff
    /// Where the batch's profile round trip goes (pass it to ``VisitorProfileGate/apply(to:sources:order:)``).
    let order: ProfileOrder

    /// The enriched output, once ready. Call once, from the one task that processes the batch further.
    func output() async -> EventProcessor.Output {
        await enrichment.value
        return handOff.take()
    }
}

/// Hands a batch's output from the task that enriched it to the one task that changes it, so that its
/// arrays stay uniquely referenced: an output returned as a task's value stays shared with the task's
/// storage, and the profile stage's first change then copied every event (131 retains each; ~2 % of the
/// service's CPU).
///
/// Threading: ``put(_:)`` is called once by the enriching task and ``take()`` once by the consuming task,
/// after it awaited the enriching task (which orders the two).
private final class OutputHandOff: @unchecked Sendable {
    // @unchecked Sendable: `output` is written once and taken once; the consumer awaits the writer first.
    private var output: EventProcessor.Output?

    /// Stores the output.
    func put(_ output: consuming EventProcessor.Output) { self.output = output }

    /// The output; the hand-off is empty afterwards.
    func take() -> EventProcessor.Output {
        output.take() ?? EventProcessor.Output()
    }
}
