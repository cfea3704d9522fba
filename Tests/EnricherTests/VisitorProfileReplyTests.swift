import Testing

@testable import Enricher
@testable import Shared

/// Decoding a crafted script answer (the script itself runs in the integration tests).
@Suite struct VisitorProfileReplyTests {
    static func input(_ eventId: String?, duid: String? = nil, at milliseconds: Int64) -> VisitorProfileInput {
        VisitorProfileInput(
            eventId: eventId, domainUserid: duid, networkUserid: nil,
            timestamp: SnowplowTimestamp(millisecondsSinceEpoch: milliseconds)!, isPageView: false)
    }

    static let inputs = [
        input("e2", duid: "v", at: 2000),  // sent second (later)
        input("e1", duid: "v", at: 1000),  // sent first
        input("e3", at: 5),
        input(nil, at: 6),
    ]

    /// One visitor event's eleven values, as the script answers them.
    static func event(
        _ status: Int, sessionIndex: Int, firstTouch: Int = 0, lastTouch: Int = 0, sessionId: String = "sid"
    ) -> [MessagePack.Value] {
        [
            .integer(Int64(status)), .integer(1000), .integer(2000), .integer(2), .integer(1), .integer(2),
            .integer(Int64(sessionIndex)), .integer(1000), .string(Array(sessionId.utf8)),
            .integer(Int64(firstTouch)), .integer(Int64(lastTouch)),
        ]
    }

    /// `value` in MessagePack, as `cmsgpack.pack` writes it, in a bulk string.
    static func answer(_ value: MessagePack.Value) -> RedisValue {
        var writer = MessagePack.Writer()
        writer.append(value)
        return .bulkString(writer.bytes)
    }

    static func reply(configuration: VisitorProfileConfiguration, anonymous: Int = 1) -> (
        RedisValue, VisitorProfileRequest
    ) {
        let request = VisitorProfileRequest(inputs: inputs, configuration: configuration, now: 1, stamp: 1.5)
        let touchValues: [MessagePack.Value] = [
            .integer(1500), .string(Array("6:search6:Google0:0:0:0:0:14:www.google.com".utf8)),
            .integer(1800), .string(Array("5:email0:0:6:spring0:0:0:0:".utf8)),
        ]
        let events =
            event(2 | 4, sessionIndex: 1, lastTouch: 1) + event(1 | 8, sessionIndex: 1, firstTouch: 1, lastTouch: 2)
        return (answer(.array([.array(touchValues), .array(events), .array([.integer(Int64(anonymous))])])), request)
    }

    @Test func outputsGoBackToInputOrder() throws {
        let configuration = VisitorProfileConfiguration()
        let (reply, request) = Self.reply(configuration: configuration)
        let outputs = try VisitorProfileReply.outputs(
            from: reply, request: request, inputs: Self.inputs, configuration: configuration)
        #expect(outputs.count == 4)
        // The earlier event e1 (input 1) was sent first: new visitor and session, no first touch yet.
        let first = try #require(outputs[1].context)
        #expect(first.isNewVisitor && first.isNewSession && !first.duplicate && !first.isLateEvent)
        #expect(first.firstTouch == nil)
        #expect(
            first.lastTouch?.source == "Google" && first.lastTouch?.refererHost == "www.google.com"
                && first.lastTouch?.term == nil)
        // e2 (input 0): a late duplicate, flagged and rendered.
        let second = try #require(outputs[0].context)
        #expect(second.duplicate && second.isLateEvent && !second.isNewSession)
        #expect(outputs[0].isDuplicate && !outputs[0].shouldDrop)
        #expect(second.visitor == VisitorIdentity(id: "v", source: .domainUserid))
        #expect(second.firstTouch?.timestamp.millisecondsSinceEpoch == 1500)
        #expect(
            second.eventCount == 2 && second.pageViewCount == 1 && second.visitCount == 2 && second.sessionIndex == 1)
        // Each context's touches come rendered (once per touch of the answer), as the writer renders them.
        for output in [outputs[0], outputs[1]] {
            let context = try #require(output.context)
            let rendered = try #require(output.renderedTouches)
            #expect(rendered.first == VisitorContext.renderTouch(context.firstTouch))
            #expect(rendered.last == VisitorContext.renderTouch(context.lastTouch))
        }
        #expect(String(decoding: try #require(outputs[1].renderedTouches).first, as: UTF8.self) == "null")
        // Two touches in the answer: each event's renderings are of its own touches.
        #expect(second.lastTouch?.campaign == "spring" && second.firstTouch?.source == "Google")
        #expect(outputs[0].renderedTouches?.first != outputs[0].renderedTouches?.last)
        // e3 has no visitor: a duplicate, without context; input 3 needed no Redis.
        #expect(outputs[2] == VisitorProfileOutput(context: nil, isDuplicate: true, shouldDrop: false))
        #expect(outputs[3] == .none)
    }

    @Test func theDropActionDropsDuplicatesWithoutContext() throws {
        let configuration = VisitorProfileConfiguration(duplicateAction: .drop)
        let (reply, request) = Self.reply(configuration: configuration)
        let outputs = try VisitorProfileReply.outputs(
            from: reply, request: request, inputs: Self.inputs, configuration: configuration)
        #expect(outputs[0] == VisitorProfileOutput(context: nil, isDuplicate: true, shouldDrop: true))
        #expect(outputs[2] == VisitorProfileOutput(context: nil, isDuplicate: true, shouldDrop: true))
        #expect(outputs[1].context != nil && !outputs[1].shouldDrop)
    }

    @Test func aMalformedAnswerIsAnError() throws {
        let configuration = VisitorProfileConfiguration()
        let request = VisitorProfileRequest(inputs: Self.inputs, configuration: configuration, now: 1, stamp: 1.5)
        let valid = Self.event(0, sessionIndex: 1) + Self.event(0, sessionIndex: 1)
        let malformed: [RedisValue] = [
            .integer(1),
            .array([.array([]), .array([.integer(0)]), .array([.integer(0)])]),  // RESP arrays instead of MessagePack
            Self.answer(.array([.array([]), .array([]), .array([])])),  // too few events
            Self.answer(.array([.array([.integer(1)]), .array(valid), .array([.integer(0)])])),  // half a touch
            Self.answer(.array([.array([.integer(1), .string(Array("1:a".utf8))]), .array(valid), .array([.integer(0)])])),  // one value
            Self.answer(  // a reference to a touch that is not there
                .array([
                    .array([]), .array(Self.event(0, sessionIndex: 1, firstTouch: 3) + Self.event(0, sessionIndex: 1)),
                    .array([.integer(0)]),
                ])),
            Self.answer(.array([.array([]), .array(valid), .array([.integer(0)]), .integer(9)])),  // four parts
            Self.answer(.array([.array([]), .array(valid), .array([.string([])])])),  // a status that is a string
            .bulkString(Array(Self.answer(.array([.array([]), .array(valid), .array([.integer(0)])])).bytes!.dropLast())),  // cut short
            .bulkString(Self.answer(.array([.array([]), .array(valid), .array([.integer(0)])])).bytes! + [0]),  // trailing byte
        ]
        // The same answer, well formed, is accepted (so each case above fails for its own reason).
        _ = try VisitorProfileReply.outputs(
            from: Self.answer(.array([.array([]), .array(valid), .array([.integer(0)])])), request: request,
            inputs: Self.inputs, configuration: configuration)
        for reply in malformed {
            #expect(throws: FreshetError.self) {
                try VisitorProfileReply.outputs(
                    from: reply, request: request, inputs: Self.inputs, configuration: configuration)
            }
        }
    }
}
