/// Where one followed log file is in its life, and the rules for moving on.
///
/// ```
///  following ──finished/gone──▶ draining ──read to end──▶ awaitingAcknowledgements ──all acked──▶ shipped
///      │ ▲                                                                                          │
///      └─┘ grew, truncated (offsets reset)                                   retention elapsed / gone ▼
///                                                                                                 closed
/// ```
///
/// - `following`: the writer may still append (the collector's active `<stem>.log`, or any file whose
///   name does not say it is finished). Read what is there, then wait for more. Truncation (size below
///   the read offset, or the first bytes changed) restarts it from 0.
/// - `draining`: no more lines will come — the collector renamed it to its finished name, or it was
///   removed/renamed out of the input (the open descriptor still reads it). Read to the end, including a
///   last line without `\n`.
/// - `awaitingAcknowledgements`: everything is read; some batches are not yet acknowledged.
/// - `shipped(at:)`: every line is acknowledged; the retention clock runs from `at`.
/// - `closed`: the descriptor is closed and the file forgotten (deleted, moved, or gone).
///
/// A pure value; the transitions are unit-tested on their own.
enum TailedFileState: Equatable, Sendable {
    case following
    case draining
    case awaitingAcknowledgements
    case shipped(at: ContinuousClock.Instant)
    case closed

    /// What happened to the file.
    enum Event: Equatable, Sendable {
        /// Its name now says it is finished (the collector rotated it).
        case finished
        /// It is no longer in the directory under a matching name (deleted or renamed away).
        case vanished
        /// The reader reached the end of its data; `allAcknowledged` tells whether every batch read
        /// so far has its delivery report.
        case reachedEnd(allAcknowledged: Bool)
        /// The last outstanding batch was acknowledged.
        case acknowledged(allAcknowledged: Bool, endReached: Bool)
        /// The reader found it shorter than its read offset or with other first bytes.
        case truncated
        /// Time passed (for the retention); `vanished` when the file is gone by now.
        case tick(now: ContinuousClock.Instant, retention: Duration?, vanished: Bool)
    }

    /// Whether the reader should look for new lines.
    var wantsReading: Bool {
        switch self {
        case .following, .draining: true
        case .awaitingAcknowledgements, .shipped, .closed: false
        }
    }

    /// Whether no more lines can be appended.
    var isFinished: Bool { self != .following }

    /// The state after `event`, and what the shipper must do about it.
    func after(_ event: Event, now: ContinuousClock.Instant) -> (TailedFileState, Action) {
        switch (self, event) {
        case (.following, .finished), (.following, .vanished):
            return (.draining, .none)
        case (.following, .truncated):
            return (.following, .restartFromBeginning)
        case (.draining, .reachedEnd(let acknowledged)):
            return acknowledged ? (.shipped(at: now), .none) : (.awaitingAcknowledgements, .none)
        case (.awaitingAcknowledgements, .acknowledged(true, _)):
            return (.shipped(at: now), .none)
        case (.shipped(let at), .tick(let time, let retention, let vanished)):
            if vanished { return (.closed, .forget) }
            if let retention, time - at >= retention { return (.closed, .cleanUp) }
            return (self, .none)
        case (.draining, .truncated), (.awaitingAcknowledgements, .truncated):
            // A finished file should not shrink; whatever is left is shipped from where it is.
            return (self, .none)
        default:
            return (self, .none)
        }
    }

    /// What the shipper does on a transition.
    enum Action: Equatable, Sendable {
        case none
        /// Reset read and acknowledged offsets to 0 (and remember the old content for copies).
        case restartFromBeginning
        /// Delete or move the file, close it, drop it from the registry.
        case cleanUp
        /// Close it and drop it from the registry (it is already gone).
        case forget
    }
}
