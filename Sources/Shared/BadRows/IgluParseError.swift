/// Why a JSON value is not self-describing (Iglu core `ParseError` codes, as bad rows spell them).
public enum IgluParseError: String, Sendable, Hashable, CaseIterable {
    /// The schema URI has an invalid SchemaVer (`1-0`, `0-1-0`, …).
    case invalidSchemaVer = "INVALID_SCHEMAVER"
    /// The `schema` is not an `iglu:vendor/name/format/version` URI.
    case invalidIgluURI = "INVALID_IGLUURI"
    /// The value has no `data` member (or `data` is not usable).
    case invalidDataPayload = "INVALID_DATA_PAYLOAD"
    /// The value has no `schema` string.
    case invalidSchema = "INVALID_SCHEMA"
}
