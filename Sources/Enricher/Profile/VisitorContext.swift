import Shared

/// The derived context the visitor profile attaches to an enriched event:
/// `iglu:io.freshet/visitor/jsonschema/1-0-0` (schema file `schemas/io.freshet/visitor/jsonschema/1-0-0`,
/// documented in `docs/visitor-profile.md`).
///
/// Counts and times describe the visitor as Redis knew it right after this event was applied (in the
/// order events reached Redis), so a late event shows counts that include later events. A plain value.
struct VisitorContext: Sendable, Equatable {
    /// `iglu:io.freshet/visitor/jsonschema/1-0-0`.
    static let schema = SchemaKey(uri: "iglu:io.freshet/visitor/jsonschema/1-0-0")!

    /// The visitor id: `domain_userid`, else `network_userid`.
    var visitor: VisitorIdentity
    /// Earliest event time seen for the visitor.
    var firstSeen: SnowplowTimestamp
    /// Latest event time seen for the visitor; never moves backwards.
    var lastSeen: SnowplowTimestamp
    /// Events counted for the visitor, this one included (duplicates do not count).
    var eventCount: Int
    /// Page views counted for the visitor, this one included.
    var pageViewCount: Int
    /// Sessions the visitor has had so far (the index of the visitor's newest session).
    var visitCount: Int
    /// Server-side session of this event: a UUID derived from visitor, index and start.
    var sessionId: String
    /// 1-based index of that session among the visitor's sessions.
    var sessionIndex: Int
    /// Event time of the session's earliest event (as known when this event was applied).
    var sessionStartedAt: SnowplowTimestamp
    /// `true` when this event created the profile.
    var isNewVisitor: Bool
    /// `true` when this event opened its session.
    var isNewSession: Bool
    /// `true` when this event's time is earlier than the visitor's `lastSeen` when it arrived.
    var isLateEvent: Bool
    /// `true` when the `event_id` was already seen within the duplicate window.
    var duplicate: Bool
    /// Earliest touch (campaign or external referer) of the visitor; `nil` when all traffic was direct.
    var firstTouch: VisitorTouch?
    /// Latest touch of the visitor.
    var lastTouch: VisitorTouch?

    /// The `data` of the context. Every member is always present (`null` when there is no touch), so the
    /// loader's columns are the same for every event.
    var json: JSONValue {
        [
            "visitorId": .string(visitor.id),
            "visitorIdSource": .string(visitor.source.rawValue),
            "firstSeen": .string(firstSeen.iso8601String),
            "lastSeen": .string(lastSeen.iso8601String),
            "eventCount": .number(JSONNumber(eventCount)),
            "pageViewCount": .number(JSONNumber(pageViewCount)),
            "visitCount": .number(JSONNumber(visitCount)),
            "sessionId": .string(sessionId),
            "sessionIndex": .number(JSONNumber(sessionIndex)),
            "sessionStartedAt": .string(sessionStartedAt.iso8601String),
            "isNewVisitor": .bool(isNewVisitor),
            "isNewSession": .bool(isNewSession),
            "isLateEvent": .bool(isLateEvent),
            "duplicate": .bool(duplicate),
            "firstTouch": firstTouch?.json ?? .null,
            "lastTouch": lastTouch?.json ?? .null,
        ]
    }

    /// The context as a self-describing JSON, ready for the event's `derived_contexts`.
    var selfDescribingJSON: SelfDescribingJSON { SelfDescribingJSON(schema: Self.schema, data: json) }
}
