/// A request that does not follow the tracker protocol, found while splitting it into events.
///
/// Becomes a `tracker_protocol_violations` bad row (for tp1/tp2/`r/tp2`), except
/// ``Kind/malformedQueryString``, which enrich detects earlier and reports as a
/// `collector_payload_format_violation`. One request yields either events or violations, never
/// both; violations are collected (e.g. every non-string value of every POST event), not
/// stop-at-first. Not thrown: returned as data.
public struct TrackerProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, mirroring enrich's `FailureDetails.TrackerProtocolViolation`.
    public enum Kind: Sendable, Equatable {
        /// The querystring cannot be decoded (bad `%` escape, invalid UTF-8) —
        /// `collector_payload_format_violation`.
        case malformedQueryString
        /// A field has a missing or wrong value (`InputData`): content type, empty body, empty
        /// querystring, null/non-string/missing/unknown event parameters, missing `u`.
        case inputData
        /// The POST body (or a `co`/`cx` to extend on redirect) is not JSON (`NotJSON`).
        case notJSON
        /// The POST body is JSON but not a self-describing JSON (`NotIglu`).
        case notSelfDescribing
        /// The POST body is self-describing but not `payload_data` 1-0-* (`CriterionMismatch`).
        case criterionMismatch
    }

    /// The kind of failure.
    public let kind: Kind
    /// What is wrong: `querystring`, `body`, `contentType`, or an event parameter name (`tv`, …).
    public let field: String
    /// The offending value, or `nil` when it was absent.
    public let value: String?
    /// What was expected, in words (enrich's wording where enrich has one).
    public let expectation: String
    /// For a problem inside one event of a POST batch: its position in the `data` array.
    public let eventIndex: Int?

    /// A violation.
    public init(_ kind: Kind, field: String, value: String?, expectation: String, eventIndex: Int? = nil) {
        self.kind = kind
        self.field = field
        self.value = value
        self.expectation = expectation
        self.eventIndex = eventIndex
    }

    /// A violation for an undecodable querystring.
    public init(_ violation: QueryStringViolation) {
        self.init(.malformedQueryString, field: violation.field, value: violation.segment, expectation: violation.description)
    }

    /// `field: expectation (value)`.
    public var description: String {
        let position = eventIndex.map { " in event \($0)" } ?? ""
        return "\(field)\(position): \(expectation) (value: \(value ?? "null"))"
    }
}
