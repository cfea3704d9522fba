import Shared

extension FreshetError.Code {
    /// Redis could not be reached for a batch of visitor profile updates (refused, timed out, broke).
    /// Retriable: under the `pause` behaviour the store retries by itself; under `skip` it is the reason
    /// in ``VisitorProfileBatch/Status/skipped(_:)``.
    static let visitorProfileUnavailable: Self = "visitor_profile.unavailable"
    /// Redis ran the visitor profile script and it failed (e.g. `WRONGTYPE` because something else wrote
    /// a profile key, or `OOM` at `maxmemory`). Not retriable without a human.
    static let visitorProfileScriptFailed: Self = "visitor_profile.script_failed"
    /// The script's answer did not have the expected shape.
    static let visitorProfileMalformedReply: Self = "visitor_profile.malformed_reply"
}

extension FreshetError {
    /// `true` for the failures that mean "Redis is not reachable right now" rather than "the command is wrong".
    var isRedisUnavailability: Bool {
        switch code {
        case .redisConnectionFailed, .redisIOFailed, .redisProtocolError: true
        case .redisErrorReply: isRetriable
        default: false
        }
    }
}
