/// A parameter of an otherwise well-formed tracker event that cannot be converted or decoded.
///
/// Becomes part of a `schema_violations` bad row: conversion failures of §1.4 (``Kind/invalidValue``)
/// are reported by enrich against `iglu:com.snowplowanalytics.snowplow/atomic/jsonschema/1-0-0`;
/// self-describing JSON failures (the other kinds) against the `contexts` / `unstruct_event` data.
/// Not thrown: returned as data.
public struct ParameterViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, mirroring enrich's failure details.
    public enum Kind: Sendable, Equatable {
        /// A value that does not convert (timestamp, integer, decimal, UUID, `WxH`, `1`/`0`, event
        /// type, platform).
        case invalidValue
        /// `cx` / `ue_px` is not base64.
        case notBase64
        /// Not JSON (enrich `NotJSON`).
        case notJSON
        /// JSON nested deeper than the configured maximum (enrich's `maxJsonDepth`, default 40).
        case jsonTooDeep
        /// JSON that is not a well-formed self-describing JSON: not an object, missing or non-string
        /// `schema`, invalid Iglu URI, missing `data`, keys other than `schema`/`data`, or a `data` of
        /// the wrong shape (enrich `NotIglu` / validation error).
        case notSelfDescribing
        /// A self-describing wrapper with the wrong schema (enrich `CriterionMismatch`), e.g.
        /// `co` whose schema is not `contexts` 1-0-*.
        case criterionMismatch
    }

    /// The kind of failure.
    public let kind: Kind
    /// The parameter name (`dtm`, `cx`, …).
    public let field: String
    /// The offending value as received (for `cx`/`ue_px` the raw base64), or `nil` when absent.
    public let value: String?
    /// What was expected, in words (e.g. `not in the expected format: ms since epoch`).
    public let expectation: String

    /// A violation.
    public init(_ kind: Kind, field: String, value: String?, expectation: String) {
        self.kind = kind
        self.field = field
        self.value = value
        self.expectation = expectation
    }

    /// A violation of `field` holding `value`, for the reason a conversion gave.
    public init(_ reason: Reason, field: String, value: String?) {
        self.init(.invalidValue, field: field, value: value, expectation: reason.expectation)
    }

    /// `field: expectation (value)`.
    public var description: String { "\(field): \(expectation) (value: \(value ?? "null"))" }

    /// Why a single value does not convert, before it is attached to a field (what the typed
    /// parsers such as ``TrackerTimestamp/parse(_:)`` return).
    public struct Reason: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was expected.
        public let expectation: String
        /// A reason.
        public init(_ expectation: String) { self.expectation = expectation }
        /// The expectation.
        public var description: String { expectation }
    }
}

/// One or more ``ParameterViolation``s found together (enrich reports every invalid context entity,
/// not just the first). Never empty.
public struct ParameterViolations: Error, Sendable, Equatable, CustomStringConvertible {
    /// The violations, in the order found.
    public let all: [ParameterViolation]

    /// Wraps a non-empty list.
    public init(_ all: [ParameterViolation]) { self.all = all }
    /// Wraps one violation.
    public init(_ one: ParameterViolation) { self.all = [one] }

    /// The violations separated by `; `.
    public var description: String { all.map(\.description).joined(separator: "; ") }
}
