/// For one file: the offset up to which Kafka acknowledged every line, given batches that are
/// acknowledged in any order.
///
/// The reader hands out batches covering consecutive byte ranges of the file; each batch is known by
/// the offset just past its last line. The acknowledged offset moves only over a run of acknowledged
/// batches starting at the current offset: a batch acknowledged early waits for the ones before it.
/// This is the offset the registry records, so a restart never skips an unacknowledged line.
///
/// A truncation starts a new *generation*: batches of the old content that are acknowledged later
/// no longer move the offset.
///
/// A plain value; its owner serialises access.
struct AcknowledgementWindow: Sendable, Equatable {
    /// Every line before this offset is acknowledged.
    private(set) var acknowledgedOffset: Int64
    /// Bumped by ``restart(at:)``.
    private(set) var generation: Int = 0
    /// End offsets of the batches handed out and not yet folded into ``acknowledgedOffset``, in order,
    /// with whether each is acknowledged.
    private var outstanding: [(end: Int64, acknowledged: Bool)] = []

    init(acknowledgedOffset: Int64) {
        self.acknowledgedOffset = acknowledgedOffset
    }

    /// Whether every batch handed out is acknowledged.
    var isIdle: Bool { outstanding.isEmpty }
    /// Batches not yet folded in.
    var outstandingCount: Int { outstanding.count }

    /// Records a batch ending at `end` (exclusive) that follows the previous one.
    mutating func begin(end: Int64) {
        precondition(end >= (outstanding.last?.end ?? acknowledgedOffset), "batches must follow each other")
        outstanding.append((end, false))
    }

    /// Marks the batch ending at `end` of `generation` acknowledged; returns whether
    /// ``acknowledgedOffset`` moved.
    @discardableResult
    mutating func acknowledge(end: Int64, generation: Int) -> Bool {
        guard generation == self.generation,
            let index = outstanding.firstIndex(where: { $0.end == end && !$0.acknowledged })
        else {
            return false
        }
        outstanding[index].acknowledged = true
        var moved = false
        while let first = outstanding.first, first.acknowledged {
            acknowledgedOffset = first.end
            outstanding.removeFirst()
            moved = true
        }
        return moved
    }

    /// Forgets every outstanding batch and starts again at `offset` (after a truncation).
    mutating func restart(at offset: Int64) {
        generation += 1
        outstanding.removeAll()
        acknowledgedOffset = offset
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.acknowledgedOffset == rhs.acknowledgedOffset && lhs.generation == rhs.generation
            && lhs.outstanding.elementsEqual(rhs.outstanding) { $0.end == $1.end && $0.acknowledged == $1.acknowledged }
    }
}
