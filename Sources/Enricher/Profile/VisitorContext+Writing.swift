import Shared

/// The visitor context written straight to UTF-8 bytes, without building a ``JSONValue`` tree: the
/// enricher renders one per event, so this is on the hot path. Produces exactly the bytes of
/// `selfDescribingJSON.serialized()` (same member order, same string escaping — `JSONValue.writeString`
/// — and the same number and date forms); `VisitorContextTests` holds the two against each other.
extension VisitorContext {
    /// The first and last touch of a context as JSON (``renderTouch(_:)``): a batch's events share a
    /// visitor's touches, so the reply decoder renders each touch once and the events copy the bytes.
    struct RenderedTouches: Sendable {
        var first: [UInt8]
        var last: [UInt8]
    }

    /// `touch` as the JSON value of `firstTouch`/`lastTouch` (`null` for none), exactly as
    /// ``writeSelfDescribing(to:renderedTouches:)`` writes it.
    static func renderTouch(_ touch: VisitorTouch?) -> [UInt8] {
        guard touch != nil else { return null }
        var output: [UInt8] = []
        output.reserveCapacity(256)
        writeTouch(touch, to: &output)
        return output
    }

    /// Appends `{"schema":"iglu:io.freshet/visitor/jsonschema/1-0-0","data":{…}}` to `output`.
    /// `renderedTouches`, when given, must be ``renderTouch(_:)`` of this context's touches.
    func writeSelfDescribing(to output: inout [UInt8], renderedTouches: RenderedTouches? = nil) {
        output.append(contentsOf: Self.head)
        JSONValue.writeString(visitor.id, to: &output)
        output.append(contentsOf: visitor.source == .domainUserid ? Self.domainSource : Self.networkSource)
        Self.writeTime(firstSeen, to: &output)
        output.append(contentsOf: Self.lastSeenKey)
        Self.writeTime(lastSeen, to: &output)
        output.append(contentsOf: Self.eventCountKey)
        Self.writeInteger(eventCount, to: &output)
        output.append(contentsOf: Self.pageViewCountKey)
        Self.writeInteger(pageViewCount, to: &output)
        output.append(contentsOf: Self.visitCountKey)
        Self.writeInteger(visitCount, to: &output)
        output.append(contentsOf: Self.sessionIdKey)
        JSONValue.writeString(sessionId, to: &output)
        output.append(contentsOf: Self.sessionIndexKey)
        Self.writeInteger(sessionIndex, to: &output)
        output.append(contentsOf: Self.sessionStartedAtKey)
        Self.writeTime(sessionStartedAt, to: &output)
        output.append(contentsOf: Self.isNewVisitorKey)
        Self.writeBool(isNewVisitor, to: &output)
        output.append(contentsOf: Self.isNewSessionKey)
        Self.writeBool(isNewSession, to: &output)
        output.append(contentsOf: Self.isLateEventKey)
        Self.writeBool(isLateEvent, to: &output)
        output.append(contentsOf: Self.duplicateKey)
        Self.writeBool(duplicate, to: &output)
        output.append(contentsOf: Self.firstTouchKey)
        if let renderedTouches { output.append(contentsOf: renderedTouches.first) } else { Self.writeTouch(firstTouch, to: &output) }
        output.append(contentsOf: Self.lastTouchKey)
        if let renderedTouches { output.append(contentsOf: renderedTouches.last) } else { Self.writeTouch(lastTouch, to: &output) }
        output.append(contentsOf: Self.tail)
    }

    private static let head = Array(#"{"schema":"iglu:io.freshet/visitor/jsonschema/1-0-0","data":{"visitorId":"#.utf8)
    private static let domainSource = Array(#","visitorIdSource":"domain_userid","firstSeen":"#.utf8)
    private static let networkSource = Array(#","visitorIdSource":"network_userid","firstSeen":"#.utf8)
    private static let lastSeenKey = Array(#","lastSeen":"#.utf8)
    private static let eventCountKey = Array(#","eventCount":"#.utf8)
    private static let pageViewCountKey = Array(#","pageViewCount":"#.utf8)
    private static let visitCountKey = Array(#","visitCount":"#.utf8)
    private static let sessionIdKey = Array(#","sessionId":"#.utf8)
    private static let sessionIndexKey = Array(#","sessionIndex":"#.utf8)
    private static let sessionStartedAtKey = Array(#","sessionStartedAt":"#.utf8)
    private static let isNewVisitorKey = Array(#","isNewVisitor":"#.utf8)
    private static let isNewSessionKey = Array(#","isNewSession":"#.utf8)
    private static let isLateEventKey = Array(#","isLateEvent":"#.utf8)
    private static let duplicateKey = Array(#","duplicate":"#.utf8)
    private static let firstTouchKey = Array(#","firstTouch":"#.utf8)
    private static let lastTouchKey = Array(#","lastTouch":"#.utf8)
    private static let tail = Array("}}".utf8)
    private static let touchKeys = [
        #"{"timestamp":"#, #","medium":"#, #","source":"#, #","term":"#, #","campaign":"#, #","content":"#,
        #","clickId":"#, #","network":"#, #","refererHost":"#,
    ].map { Array($0.utf8) }
    private static let null = Array("null".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)

    private static func writeTime(_ time: SnowplowTimestamp, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        time.appendISO8601(to: &output)
        output.append(UInt8(ascii: "\""))
    }

    private static func writeBool(_ value: Bool, to output: inout [UInt8]) {
        output.append(contentsOf: value ? trueBytes : falseBytes)
    }

    /// Decimal digits of `value`, as `JSONNumber(value).literal` writes them.
    static func writeInteger(_ value: Int, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits, reversed
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { output.append(buffer[index]) }
        }
    }

    private static func writeTouch(_ touch: VisitorTouch?, to output: inout [UInt8]) {
        guard let touch else {
            output.append(contentsOf: null)
            return
        }
        output.append(contentsOf: touchKeys[0])
        writeTime(touch.timestamp, to: &output)
        // Member by member (an array of the eight values cost an allocation per touch).
        writeMember(1, touch.medium, to: &output)
        writeMember(2, touch.source, to: &output)
        writeMember(3, touch.term, to: &output)
        writeMember(4, touch.campaign, to: &output)
        writeMember(5, touch.content, to: &output)
        writeMember(6, touch.clickId, to: &output)
        writeMember(7, touch.network, to: &output)
        writeMember(8, touch.refererHost, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    /// `,"<touchKeys[position]>":` and `value` as a JSON string, or `null`.
    private static func writeMember(_ position: Int, _ value: String?, to output: inout [UInt8]) {
        output.append(contentsOf: touchKeys[position])
        if let value { JSONValue.writeString(value, to: &output) } else { output.append(contentsOf: null) }
    }
}
