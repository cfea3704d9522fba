import Shared

/// The keys and arguments of one ``VisitorProfileScript`` call for a batch of inputs, and where each
/// answer goes back to: the pure half of ``VisitorProfileStore/update(_:)``.
///
/// Ordering: events are grouped by visitor (groups in order of first appearance) and, within a group,
/// sorted by event time (ties keep batch order), so a batch that holds a visitor's events out of order
/// counts and sessionises them as if they had arrived in order. Events without a visitor but with an
/// `event_id` are only checked for duplicates; events with neither need no Redis work at all.
struct VisitorProfileRequest: Sendable {
    /// A visitor and the positions (in the input batch) of its events, in event-time order.
    struct VisitorGroup: Sendable, Equatable {
        var visitor: VisitorIdentity
        var inputIndices: [Int]
    }

    /// Visitor groups in argument order.
    let groups: [VisitorGroup]
    /// Positions of the events without a visitor that are checked for duplicates, in argument order.
    let anonymousIndices: [Int]
    /// `KEYS` of the script call.
    let keys: [RedisArgument]
    /// `ARGV` of the script call.
    let arguments: [RedisArgument]

    /// `true` when the batch needs no Redis work (no event has a visitor or an `event_id`).
    var isEmpty: Bool { groups.isEmpty && anonymousIndices.isEmpty }

    /// Builds the call for `inputs`. `now` is the wall-clock time in ms, `stamp` identifies this batch
    /// (see ``VisitorProfileScript``) and must be the same on every retry of the batch.
    init(inputs: [VisitorProfileInput], configuration: VisitorProfileConfiguration, now: Int64, stamp: Double) {
        let groups = Self.groups(of: inputs)
        let anonymousIndices = inputs.indices.filter {
            inputs[$0].visitor == nil && !(inputs[$0].eventId ?? "").isEmpty
        }
        let prefix = configuration.keyPrefix
        let stampArgument = RedisArgument(String(stamp))

        var keys: [RedisArgument] = groups.map { RedisArgument(prefix + "v:" + $0.visitor.id) }
        keys.reserveCapacity(groups.count + inputs.count)
        var arguments: [RedisArgument] = [
            RedisArgument(now),
            stampArgument,
            RedisArgument(VisitorProfileConfiguration.milliseconds(configuration.sessionTimeout)),
            RedisArgument(VisitorProfileConfiguration.milliseconds(configuration.duplicateWindow)),
            RedisArgument(VisitorProfileConfiguration.milliseconds(configuration.profileTTL)),
            configuration.duplicateAction == .flag ? "1" : "0",
            RedisArgument(groups.count),
        ]
        arguments.reserveCapacity(arguments.count + groups.count * 2 + inputs.count * 3 + 1)
        let eventKeyPrefix = Array((prefix + "e:").utf8)
        for group in groups {
            arguments.append(RedisArgument(group.visitor.id))
            arguments.append(RedisArgument(group.inputIndices.count))
            for index in group.inputIndices {
                let input = inputs[index]
                let touch = VisitorTouch(
                    attribution: input.attribution, timestamp: input.timestamp,
                    maximumBytes: configuration.maximumAttributionValueBytes)
                let hasId = !(input.eventId ?? "").isEmpty
                if hasId { keys.append(RedisArgument(bytes: eventKeyPrefix + Self.eventIdBytes(input.eventId))) }
                arguments.append(RedisArgument(input.timestamp.millisecondsSinceEpoch))
                arguments.append(RedisArgument((input.isPageView ? 1 : 0) | (touch == nil ? 0 : 2) | (hasId ? 4 : 0)))
                if hasId { arguments.append(input.source.map { RedisArgument($0) } ?? stampArgument) }
                if let touch {
                    for value in touch.storedValues { arguments.append(RedisArgument(value ?? "")) }
                }
            }
        }
        arguments.append(RedisArgument(anonymousIndices.count))
        for index in anonymousIndices {
            keys.append(RedisArgument(bytes: eventKeyPrefix + Self.eventIdBytes(inputs[index].eventId)))
            arguments.append(inputs[index].source.map { RedisArgument($0) } ?? stampArgument)
        }
        self.groups = groups
        self.anonymousIndices = anonymousIndices
        self.keys = keys
        self.arguments = arguments
    }

    /// Groups `inputs` by visitor, groups in order of first appearance, each sorted by event time
    /// (stable: equal times keep batch order). Inputs without a visitor are left out.
    static func groups(of inputs: [VisitorProfileInput]) -> [VisitorGroup] {
        var position: [VisitorIdentity: Int] = [:]
        var groups: [VisitorGroup] = []
        for (index, input) in inputs.enumerated() {
            guard let visitor = input.visitor else { continue }
            if let existing = position[visitor] {
                groups[existing].inputIndices.append(index)
            } else {
                position[visitor] = groups.count
                groups.append(VisitorGroup(visitor: visitor, inputIndices: [index]))
            }
        }
        for group in groups.indices where groups[group].inputIndices.count > 1 {
            groups[group].inputIndices.sort { left, right in
                let (leftTime, rightTime) = (inputs[left].timestamp, inputs[right].timestamp)
                return leftTime == rightTime ? left < right : leftTime < rightTime
            }
        }
        return groups
    }

    /// The event id as it appears in its key: a UUID (any case) as its 16 bytes, anything else as its
    /// UTF-8 text; empty when there is none.
    static func eventIdBytes(_ eventId: String?) -> [UInt8] {
        guard let eventId, !eventId.isEmpty else { return [] }
        return uuidBytes(eventId) ?? Array(eventId.utf8)
    }

    /// The 16 bytes of a UUID in the 8-4-4-4-12 hex form, or `nil` for anything else.
    static func uuidBytes(_ text: String) -> [UInt8]? {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8? = nil
        for (offset, character) in utf8.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard character == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}
