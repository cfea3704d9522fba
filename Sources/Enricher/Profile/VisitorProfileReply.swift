import Shared

/// Reads the answer of ``VisitorProfileScript`` into one ``VisitorProfileOutput`` per input: the pure
/// half of ``VisitorProfileStore/update(_:)`` after the round trip.
enum VisitorProfileReply {
    /// The status bits of one event in the script's answer.
    struct Status: OptionSet, Sendable {
        let rawValue: Int64
        /// The `event_id` was already seen within the window; nothing was counted.
        static let duplicate = Status(rawValue: 1)
        /// The event created the profile.
        static let newVisitor = Status(rawValue: 2)
        /// The event opened a session.
        static let newSession = Status(rawValue: 4)
        /// The event's time is before the visitor's `lastSeen`.
        static let late = Status(rawValue: 8)
        /// A retry found the event already applied by an earlier attempt of the same batch; the values
        /// describe the profile after that attempt.
        static let replayed = Status(rawValue: 16)
        /// There is no profile to describe (a duplicate of an event whose profile has expired).
        static let noProfile = Status(rawValue: 32)
    }

    /// Values per visitor event in the answer.
    static let valuesPerEvent = 11

    /// The outputs for `inputs`, in input order.
    ///
    /// Throws ``FreshetError/Code/visitorProfileMalformedReply`` when the answer does not have the
    /// shape the script produces (a different script version under the same SHA cannot happen; this
    /// guards against a proxy or a bug).
    static func outputs(
        from reply: RedisValue, request: VisitorProfileRequest, inputs: [VisitorProfileInput],
        configuration: VisitorProfileConfiguration
    ) throws -> [VisitorProfileOutput] {
        guard let answer = reply.bytes else { throw malformed("expected a MessagePack string") }
        var reader = MessagePack.Reader(answer)
        guard reader.arrayHeader() == 3, let touchValueCount = reader.arrayHeader(), touchValueCount % 2 == 0 else {
            throw malformed("expected {touches, events, anonymousEvents}")
        }

        var touches: [VisitorTouch] = []
        touches.reserveCapacity(touchValueCount / 2)
        for number in 0..<touchValueCount / 2 {
            guard let time = reader.integer(), let packed = reader.stringBytes(),
                let touch = VisitorTouch(stored: time, packed: packed)
            else { throw malformed("touch \(number + 1) is not a time and eight packed values") }
            touches.append(touch)
        }

        let eventCount = request.groups.reduce(0) { $0 + $1.inputIndices.count }
        guard reader.arrayHeader() == eventCount * valuesPerEvent else {
            throw malformed("expected \(eventCount) visitor events")
        }
        // Each touch rendered as JSON once, when first referenced (events of one visitor share theirs).
        var rendered = [[UInt8]?](repeating: nil, count: touches.count)
        let renderedNull = VisitorContext.renderTouch(nil)
        func touch() throws -> (touch: VisitorTouch?, json: [UInt8]) {
            guard let reference = reader.integer(), reference >= 0, reference <= touches.count else {
                throw malformed("touch reference out of range")
            }
            guard reference > 0 else { return (nil, renderedNull) }
            let index = Int(reference) - 1
            if let json = rendered[index] { return (touches[index], json) }
            let json = VisitorContext.renderTouch(touches[index])
            rendered[index] = json
            return (touches[index], json)
        }
        func timestamp() throws -> SnowplowTimestamp {
            guard let milliseconds = reader.integer(), let time = SnowplowTimestamp(millisecondsSinceEpoch: milliseconds)
            else { throw malformed("expected a time in milliseconds") }
            return time
        }
        func integer() throws -> Int {
            guard let number = reader.integer() else { throw malformed("expected an integer") }
            return Int(number)
        }
        func skip(_ count: Int) throws {
            for _ in 0..<count where reader.integer() == nil && reader.stringBytes() == nil {
                throw malformed("expected an integer or a string")
            }
        }

        let drop = configuration.duplicateAction == .drop
        var outputs = [VisitorProfileOutput](repeating: .none, count: inputs.count)
        for group in request.groups {
            for index in group.inputIndices {
                guard let bits = reader.integer() else { throw malformed("status is not an integer") }
                let status = Status(rawValue: bits)
                let isDuplicate = status.contains(.duplicate)
                if isDuplicate && drop {
                    try skip(valuesPerEvent - 1)
                    outputs[index] = VisitorProfileOutput(context: nil, isDuplicate: true, shouldDrop: true)
                    continue
                }
                if status.contains(.noProfile) {
                    try skip(valuesPerEvent - 1)
                    outputs[index] = VisitorProfileOutput(context: nil, isDuplicate: isDuplicate, shouldDrop: false)
                    continue
                }
                // In the answer's order: firstSeen … sessionStartedAt, sessionId, the touch references.
                let firstSeen = try timestamp()
                let lastSeen = try timestamp()
                let eventCount = try integer()
                let pageViewCount = try integer()
                let visitCount = try integer()
                let sessionIndex = try integer()
                let sessionStartedAt = try timestamp()
                guard let sessionId = reader.string() else { throw malformed("session id is not a string") }
                let firstTouch = try touch()
                let lastTouch = try touch()
                let context = VisitorContext(
                    visitor: group.visitor, firstSeen: firstSeen, lastSeen: lastSeen, eventCount: eventCount,
                    pageViewCount: pageViewCount, visitCount: visitCount, sessionId: sessionId,
                    sessionIndex: sessionIndex, sessionStartedAt: sessionStartedAt,
                    isNewVisitor: status.contains(.newVisitor), isNewSession: status.contains(.newSession),
                    isLateEvent: status.contains(.late), duplicate: isDuplicate, firstTouch: firstTouch.touch,
                    lastTouch: lastTouch.touch)
                outputs[index] = VisitorProfileOutput(
                    context: context, isDuplicate: isDuplicate, shouldDrop: false,
                    renderedTouches: VisitorContext.RenderedTouches(first: firstTouch.json, last: lastTouch.json))
            }
        }
        guard reader.arrayHeader() == request.anonymousIndices.count else {
            throw malformed("expected \(request.anonymousIndices.count) events without a visitor")
        }
        for index in request.anonymousIndices {
            guard let bits = reader.integer() else { throw malformed("status is not an integer") }
            let isDuplicate = Status(rawValue: bits).contains(.duplicate)
            outputs[index] = VisitorProfileOutput(
                context: nil, isDuplicate: isDuplicate, shouldDrop: isDuplicate && drop)
        }
        guard reader.isAtEnd else { throw malformed("trailing bytes") }
        return outputs
    }

    private static func malformed(_ detail: String) -> FreshetError {
        FreshetError(
            .visitorProfileMalformedReply,
            "The visitor profile script answered in an unexpected shape: \(detail); check that nothing else writes the profile keys"
        )
    }
}
