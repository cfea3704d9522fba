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
        let stamp = Array(String(stamp).utf8)
        let profileKeyPrefix = Array((prefix + "v:").utf8)
        let eventKeyPrefix = Array((prefix + "e:").utf8)

        var keys: [RedisArgument] = []
        keys.reserveCapacity(groups.count + inputs.count)
        for group in groups { keys.append(Self.key(profileKeyPrefix, group.visitor.id)) }
        // The groups' and events' values, in one MessagePack array (see VisitorProfileScript).
        var data = MessagePack.Writer(capacity: 64 + inputs.count * 64)
        var dataCount = 0
        let dataStart = data.beginArray()
        for group in groups {
            data.appendString(group.visitor.id)
            data.appendInteger(Int64(group.inputIndices.count))
            dataCount += 2
            for index in group.inputIndices {
                let input = inputs[index]
                let touch = VisitorTouch(
                    attribution: input.attribution, timestamp: input.timestamp,
                    maximumBytes: configuration.maximumAttributionValueBytes)
                let hasId = !(input.eventId ?? "").isEmpty
                if hasId { keys.append(Self.eventKey(eventKeyPrefix, input.eventId!)) }
                data.appendInteger(input.timestamp.millisecondsSinceEpoch)
                data.appendInteger(Int64((input.isPageView ? 1 : 0) | (touch == nil ? 0 : 2) | (hasId ? 4 : 0)))
                dataCount += 2
                if hasId {
                    Self.appendSource(input.source, stamp: stamp, to: &data)
                    dataCount += 1
                }
                if let touch {
                    touch.appendPackedValues(to: &data)
                    dataCount += 1
                }
            }
        }
        data.appendInteger(Int64(anonymousIndices.count))
        dataCount += 1
        for index in anonymousIndices {
            keys.append(Self.eventKey(eventKeyPrefix, inputs[index].eventId ?? ""))
            Self.appendSource(inputs[index].source, stamp: stamp, to: &data)
            dataCount += 1
        }
        data.endArray(startingAt: dataStart, count: dataCount)
        let arguments: [RedisArgument] = [
            Self.decimal(now),
            RedisArgument(bytes: stamp),
            Self.decimal(VisitorProfileConfiguration.milliseconds(configuration.sessionTimeout)),
            Self.decimal(VisitorProfileConfiguration.milliseconds(configuration.duplicateWindow)),
            Self.decimal(VisitorProfileConfiguration.milliseconds(configuration.profileTTL)),
            RedisArgument(bytes: [configuration.duplicateAction == .flag ? UInt8(ascii: "1") : UInt8(ascii: "0")]),
            Self.decimal(Int64(groups.count)),
            RedisArgument(bytes: data.bytes),
        ]
        self.groups = groups
        self.anonymousIndices = anonymousIndices
        self.keys = keys
        self.arguments = arguments
    }

    /// Groups `inputs` by visitor, groups in order of first appearance, each sorted by event time
    /// (stable: equal times keep batch order). Inputs without a visitor are left out.
    static func groups(of inputs: [VisitorProfileInput]) -> [VisitorGroup] {
        var position: [VisitorIdentity: Int] = [:]
        position.reserveCapacity(inputs.count)
        var groups: [VisitorGroup] = []
        groups.reserveCapacity(inputs.count)
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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        return appendUUIDBytes(text, to: &bytes) ? bytes : nil
    }

    /// Appends the 16 bytes of a UUID in the 8-4-4-4-12 hex form to `bytes` and returns `true`; for
    /// anything else returns `false` (`bytes` may then hold a partial result the caller discards).
    private static func appendUUIDBytes(_ text: String, to bytes: inout [UInt8]) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return false }
        var high: UInt8? = nil
        var offset = 0
        for character in utf8 {
            defer { offset += 1 }
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard character == UInt8(ascii: "-") else { return false }
                continue
            }
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return false
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return true
    }

    // MARK: - Arguments without intermediate strings

    /// The event's source, or the batch's stamp for an event without one, as a MessagePack string.
    private static func appendSource(
        _ source: String?, stamp: [UInt8], to data: inout MessagePack.Writer
    ) {
        if let source { data.appendString(source) } else { data.appendString(bytes: stamp) }
    }

    /// `value` in decimal, written straight into the argument's bytes (same text as `RedisArgument(value)`).
    static func decimal(_ value: Int64) -> RedisArgument {
        var magnitude = value.magnitude
        var length = value < 0 ? 2 : 1
        var rest = magnitude / 10
        while rest > 0 {
            length += 1
            rest /= 10
        }
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            var position = length
            repeat {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { buffer[0] = UInt8(ascii: "-") }
            initialized = length
        }
        return RedisArgument(bytes: bytes)
    }

    /// `prefix` followed by the UTF-8 of `text`, in one allocation.
    private static func key(_ prefix: [UInt8], _ text: String) -> RedisArgument {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.count + text.utf8.count)
        bytes.append(contentsOf: prefix)
        bytes.append(contentsOf: text.utf8)
        return RedisArgument(bytes: bytes)
    }

    /// `prefix` followed by ``eventIdBytes(_:)`` of `eventId`, in one allocation.
    private static func eventKey(_ prefix: [UInt8], _ eventId: String) -> RedisArgument {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.count + max(eventId.utf8.count, 16))
        bytes.append(contentsOf: prefix)
        if !appendUUIDBytes(eventId, to: &bytes) {
            bytes.removeSubrange(prefix.count...)
            bytes.append(contentsOf: eventId.utf8)
        }
        return RedisArgument(bytes: bytes)
    }
}
