import Shared

extension FreshetError.Code {
    /// An `anon_ip` or `pii_enrichment_config` parameter is out of range or malformed.
    public static let privacyInvalidConfiguration: Self = "privacy.invalid_configuration"
    /// A PII hash function is not available in this build (MD2).
    public static let privacyUnsupportedHashFunction: Self = "privacy.unsupported_hash_function"
    /// A PII JSON path uses syntax outside the supported subset.
    public static let privacyInvalidJSONPath: Self = "privacy.invalid_json_path"
}
