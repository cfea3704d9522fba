import Shared

extension FreshetError.Code {
    /// The HTTP header extractor's `headersPattern` is not a valid regular expression.
    public static let headerExtractorInvalidPattern: Self = "extractor.invalid_header_pattern"
}
