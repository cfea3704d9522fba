import Shared

/// How the visitor profile store keeps profiles, sessions and duplicate markers in Redis, and what it
/// does when Redis cannot be reached. See `docs/visitor-profile.md` for the key layout and memory use.
///
/// A plain value: build it from flags and environment variables (``VisitorProfileOptions``), check it
/// with ``validate()``, hand it to ``VisitorProfileStore``.
struct VisitorProfileConfiguration: Sendable, Equatable {
    /// What happens to an event whose `event_id` was already seen within ``duplicateWindow``.
    enum DuplicateAction: String, Sendable, Equatable, CaseIterable {
        /// Keep the event; its visitor context says `"duplicate": true`, and it does not count again.
        case flag
        /// Drop the event: ``VisitorProfileOutput/shouldDrop`` is `true` and no context is rendered.
        case drop
    }

    /// What ``VisitorProfileStore/update(_:)`` does while Redis cannot be reached.
    enum UnavailableBehaviour: String, Sendable, Equatable, CaseIterable {
        /// Wait and retry the same batch with backoff until Redis answers (or the task is cancelled):
        /// the caller stops consuming meanwhile, and nothing is lost.
        case pause
        /// Give up on the batch after one attempt: the events go on without a visitor context.
        case skip
    }

    /// Prefix of every key the store writes, so several pipelines (or tests) can share one Redis.
    /// Default: `freshet:profile:`.
    var keyPrefix: String
    /// Inactivity, in event time, after which a visitor's next event opens a new session. Default: 30 min.
    var sessionTimeout: Duration
    /// How long a visitor's profile lives after its last update. The expiry is set again by the first
    /// write a hundredth of it or more after it was last set (in between, writes keep it), so a profile
    /// lives between 99 % and 100 % of this after its last event. Default: 400 days.
    var profileTTL: Duration
    /// How long, in processing (wall-clock) time, an `event_id` is remembered for duplicate detection.
    /// Default: 24 h.
    var duplicateWindow: Duration
    /// Flag or drop duplicates. Default: ``DuplicateAction/flag``.
    var duplicateAction: DuplicateAction
    /// Attribution values (referer, campaign fields) are cut to this many UTF-8 bytes before they are
    /// stored. Default: 255.
    var maximumAttributionValueBytes: Int
    /// Pause (retry) or skip when Redis is unreachable. Default: ``UnavailableBehaviour/pause``.
    var unavailableBehaviour: UnavailableBehaviour
    /// First wait before retrying a batch while paused; doubles on each failure. Default: 100 ms.
    var retryBackoff: Duration
    /// Upper bound of the wait between retries while paused. Default: 5 s.
    var maximumRetryBackoff: Duration

    init(
        keyPrefix: String = "freshet:profile:",
        sessionTimeout: Duration = .seconds(30 * 60),
        profileTTL: Duration = .seconds(400 * 86_400),
        duplicateWindow: Duration = .seconds(24 * 3600),
        duplicateAction: DuplicateAction = .flag,
        maximumAttributionValueBytes: Int = 255,
        unavailableBehaviour: UnavailableBehaviour = .pause,
        retryBackoff: Duration = .milliseconds(100),
        maximumRetryBackoff: Duration = .seconds(5)
    ) {
        self.keyPrefix = keyPrefix
        self.sessionTimeout = sessionTimeout
        self.profileTTL = profileTTL
        self.duplicateWindow = duplicateWindow
        self.duplicateAction = duplicateAction
        self.maximumAttributionValueBytes = maximumAttributionValueBytes
        self.unavailableBehaviour = unavailableBehaviour
        self.retryBackoff = retryBackoff
        self.maximumRetryBackoff = maximumRetryBackoff
    }

    /// Throws ``FreshetError/Code/invalidConfiguration`` naming the first value out of range.
    func validate() throws {
        func fail(_ message: String) throws -> Never {
            throw FreshetError(.invalidConfiguration, "Visitor profile configuration: \(message)")
        }
        if sessionTimeout < .milliseconds(1) {
            try fail("the session timeout must be at least 1 ms, got \(sessionTimeout)")
        }
        if profileTTL < .seconds(1) { try fail("the profile TTL must be at least 1 s, got \(profileTTL)") }
        if duplicateWindow < .milliseconds(1) {
            try fail("the duplicate window must be at least 1 ms, got \(duplicateWindow)")
        }
        if maximumAttributionValueBytes < 1 {
            try fail("attribution values need at least 1 byte, got \(maximumAttributionValueBytes)")
        }
        if retryBackoff <= .zero || maximumRetryBackoff < retryBackoff {
            try fail(
                "the retry backoff must be positive and at most its maximum, got \(retryBackoff) … \(maximumRetryBackoff)"
            )
        }
    }

    /// `duration` in whole milliseconds, the unit of every time the Lua script handles.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
