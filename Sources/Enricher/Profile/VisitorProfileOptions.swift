import ArgumentParser
import Shared

/// The visitor profile options of the enricher (`@OptionGroup var profile: VisitorProfileOptions`); each
/// also reads `FRESHET_<OPTION>` from the environment. Defaults are ``VisitorProfileConfiguration``'s.
struct VisitorProfileOptions: ParsableArguments, Sendable {
    /// Default: `freshet:profile:`.
    @Option(help: "Prefix of the visitor profile keys in Redis.") var profileKeyPrefix = "freshet:profile:"
    /// Default: 1800 s.
    @Option(help: "Seconds of inactivity (event time) after which a visitor's next event opens a new session.")
    var sessionTimeoutSeconds = 1800
    /// Default: 400 days.
    @Option(help: "Days a visitor profile lives after its last event (its expiry moves forward at most once per hundredth of this).") var profileTTLDays = 400
    /// Default: 86400 s.
    @Option(help: "Seconds an event_id is remembered for duplicate detection.") var duplicateWindowSeconds = 86_400
    /// Default: `flag`.
    @Option(help: "What to do with a duplicate event: flag (keep, mark in the visitor context) or drop.")
    var duplicates: VisitorProfileConfiguration.DuplicateAction = .flag
    init() {}

    /// The configuration these options describe (validated by ``VisitorProfileStore``), with
    /// `unavailableBehaviour` (the enricher's `--profile-failure-policy`; default `pause`).
    func configuration(
        unavailableBehaviour: VisitorProfileConfiguration.UnavailableBehaviour = .pause
    ) -> VisitorProfileConfiguration {
        VisitorProfileConfiguration(
            keyPrefix: profileKeyPrefix,
            sessionTimeout: .seconds(sessionTimeoutSeconds),
            profileTTL: .seconds(profileTTLDays * 86_400),
            duplicateWindow: .seconds(duplicateWindowSeconds),
            duplicateAction: duplicates,
            unavailableBehaviour: unavailableBehaviour)
    }
}

extension VisitorProfileConfiguration.DuplicateAction: ExpressibleByArgument {}
