import Shared

extension FreshetError.Code {
    /// A bot-detection user-agent pattern is empty or a regex the matcher cannot compile. Not retriable: fix
    /// the enrichment's configuration.
    public static let botDetectionPatternInvalid: Self = "bot_detection.pattern_invalid"
}
