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
        guard let parts = reply.array, parts.count == 3, let touchValues = parts[0].array, let events = parts[1].array,
            let anonymous = parts[2].array, touchValues.count % 9 == 0
        else { throw malformed("expected {touches, events, anonymousEvents}") }
        let eventCount = request.groups.reduce(0) { $0 + $1.inputIndices.count }
        guard events.count == eventCount * valuesPerEvent, anonymous.count == request.anonymousIndices.count else {
            throw malformed("expected \(eventCount) visitor events and \(request.anonymousIndices.count) others")
        }

        var touches: [VisitorTouch] = []
        touches.reserveCapacity(touchValues.count / 9)
        for start in stride(from: 0, to: touchValues.count, by: 9) {
            guard let time = touchValues[start].integer,
                let touch = VisitorTouch(
                    stored: time, values: touchValues[start + 1..<start + 9].map { $0.string ?? "" })
            else { throw malformed("touch \(start / 9 + 1) is not a time and eight values") }
            touches.append(touch)
        }
        func touch(_ value: RedisValue) throws -> VisitorTouch? {
            guard let reference = value.integer, reference >= 0, reference <= touches.count else {
                throw malformed("touch reference \(value) out of range")
            }
            return reference == 0 ? nil : touches[Int(reference) - 1]
        }
        func timestamp(_ value: RedisValue) throws -> SnowplowTimestamp {
            guard let milliseconds = value.integer, let time = SnowplowTimestamp(millisecondsSinceEpoch: milliseconds)
            else {
                throw malformed("\(value) is not a time in milliseconds")
            }
            return time
        }
        func integer(_ value: RedisValue) throws -> Int {
            guard let number = value.integer else { throw malformed("\(value) is not an integer") }
            return Int(number)
        }

        let drop = configuration.duplicateAction == .drop
        var outputs = [VisitorProfileOutput](repeating: .none, count: inputs.count)
        var offset = 0
        for group in request.groups {
            for index in group.inputIndices {
                let values = events[offset..<offset + valuesPerEvent]
                offset += valuesPerEvent
                guard let bits = values[offset - valuesPerEvent].integer else {
                    throw malformed("status is not an integer")
                }
                let status = Status(rawValue: bits)
                let isDuplicate = status.contains(.duplicate)
                if isDuplicate && drop {
                    outputs[index] = VisitorProfileOutput(context: nil, isDuplicate: true, shouldDrop: true)
                    continue
                }
                if status.contains(.noProfile) {
                    outputs[index] = VisitorProfileOutput(context: nil, isDuplicate: isDuplicate, shouldDrop: false)
                    continue
                }
                let base = values.startIndex
                guard let sessionId = values[base + 8].string else { throw malformed("session id is not a string") }
                let context = VisitorContext(
                    visitor: group.visitor,
                    firstSeen: try timestamp(values[base + 1]),
                    lastSeen: try timestamp(values[base + 2]),
                    eventCount: try integer(values[base + 3]),
                    pageViewCount: try integer(values[base + 4]),
                    visitCount: try integer(values[base + 5]),
                    sessionId: sessionId,
                    sessionIndex: try integer(values[base + 6]),
                    sessionStartedAt: try timestamp(values[base + 7]),
                    isNewVisitor: status.contains(.newVisitor),
                    isNewSession: status.contains(.newSession),
                    isLateEvent: status.contains(.late),
                    duplicate: isDuplicate,
                    firstTouch: try touch(values[base + 9]),
                    lastTouch: try touch(values[base + 10]))
                outputs[index] = VisitorProfileOutput(context: context, isDuplicate: isDuplicate, shouldDrop: false)
            }
        }
        for (position, index) in request.anonymousIndices.enumerated() {
            guard let bits = anonymous[position].integer else { throw malformed("status is not an integer") }
            let isDuplicate = Status(rawValue: bits).contains(.duplicate)
            outputs[index] = VisitorProfileOutput(
                context: nil, isDuplicate: isDuplicate, shouldDrop: isDuplicate && drop)
        }
        return outputs
    }

    private static func malformed(_ detail: String) -> FreshetError {
        FreshetError(
            .visitorProfileMalformedReply,
            "The visitor profile script answered in an unexpected shape: \(detail); check that nothing else writes the profile keys"
        )
    }
}
