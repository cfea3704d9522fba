import Testing

@testable import Enricher
@testable import Shared

@Suite struct VisitorProfileRequestTests {
    static func time(_ milliseconds: Int64) -> SnowplowTimestamp {
        SnowplowTimestamp(millisecondsSinceEpoch: milliseconds)!
    }

    static func input(
        _ eventId: String?, duid: String? = nil, nuid: String? = nil, at milliseconds: Int64, pageView: Bool = false,
        attribution: VisitorProfileInput.Attribution = .init()
    ) -> VisitorProfileInput {
        VisitorProfileInput(
            eventId: eventId, domainUserid: duid, networkUserid: nuid, timestamp: time(milliseconds),
            isPageView: pageView, attribution: attribution)
    }

    @Test func visitorIsTheDomainUserIdElseTheNetworkUserIdButNeverTheAnonymousOne() {
        #expect(Self.input("e", duid: "d", nuid: "n", at: 1).visitor == VisitorIdentity(id: "d", source: .domainUserid))
        #expect(Self.input("e", duid: "", nuid: "n", at: 1).visitor == VisitorIdentity(id: "n", source: .networkUserid))
        #expect(Self.input("e", nuid: "n", at: 1).visitor == VisitorIdentity(id: "n", source: .networkUserid))
        #expect(Self.input("e", nuid: "00000000-0000-0000-0000-000000000000", at: 1).visitor == nil)
        #expect(Self.input("e", at: 1).visitor == nil)
    }

    @Test func groupsKeepFirstAppearanceOrderAndSortEachVisitorByTimeStably() {
        let inputs = [
            Self.input("1", duid: "b", at: 300),
            Self.input("2", duid: "a", at: 200),
            Self.input("3", duid: "b", at: 100),
            Self.input("4", nuid: "c", at: 50),
            Self.input("5", duid: "b", at: 300),
            Self.input("6", duid: "a", at: 100),
            Self.input("7", at: 10),
        ]
        let groups = VisitorProfileRequest.groups(of: inputs)
        #expect(groups.map(\.visitor.id) == ["b", "a", "c"])
        #expect(groups.map(\.inputIndices) == [[2, 0, 4], [5, 1], [3]])
    }

    @Test func keysAndArgumentsFollowTheScriptsLayout() {
        var configuration = VisitorProfileConfiguration(keyPrefix: "t:")
        configuration.duplicateAction = .drop
        let campaign = VisitorProfileInput.Attribution(
            marketingMedium: "cpc", marketingSource: "google", marketingCampaign: "spring")
        var inputs = [
            Self.input(
                "7f2a0c2e-3b3c-4c4d-8e8f-000000000001", duid: "v1", at: 2000, pageView: true, attribution: campaign),
            Self.input(nil, duid: "v1", at: 1000),
            Self.input("not-a-uuid", at: 5),
            Self.input(nil, at: 6),
        ]
        inputs[2].source = "2:17"  // the others have none: the batch's stamp stands in
        let request = VisitorProfileRequest(inputs: inputs, configuration: configuration, now: 99, stamp: 99.5)
        let packed: [UInt8] = [0x7f, 0x2a, 0x0c, 0x2e, 0x3b, 0x3c, 0x4c, 0x4d, 0x8e, 0x8f, 0, 0, 0, 0, 0, 1]
        // Profiles first, then one key per event id in argument order (a UUID as its 16 bytes).
        #expect(request.keys == ["t:v:v1", RedisArgument(bytes: Array("t:e:".utf8) + packed), "t:e:not-a-uuid"])
        #expect(request.anonymousIndices == [2])
        let expectedHeader: [RedisArgument] = ["99", "99.5", "1800000", "86400000", "34560000000", "0", "1"]
        #expect(Array(request.arguments.prefix(7)) == expectedHeader)
        #expect(request.arguments.count == 8)
        // The groups' and events' values: one MessagePack array.
        func text(_ value: String) -> MessagePack.Value { .string(Array(value.utf8)) }
        let expectedData: [MessagePack.Value] = [
            text("v1"), .integer(2),
            .integer(1000), .integer(0),  // the earlier event first: no page view, no touch, no event id
            // page view + touch + event id (source: the stamp), then the touch
            .integer(2000), .integer(7), text("99.5"),
            text("3:cpc6:google0:6:spring0:0:0:0:"),  // the touch's eight values, packed
            .integer(1), text("2:17"),  // one event without a visitor, checked for duplicates only, and its source
        ]
        var reader = MessagePack.Reader(request.arguments[7].bytes)
        #expect(reader.value() == .array(expectedData))
        #expect(reader.isAtEnd)
    }

    @Test func aBatchWithoutVisitorsOrEventIdsNeedsNoRedis() {
        let request = VisitorProfileRequest(
            inputs: [Self.input(nil, at: 1), Self.input("", nuid: "00000000-0000-0000-0000-000000000000", at: 2)],
            configuration: VisitorProfileConfiguration(), now: 1, stamp: 1.5)
        #expect(request.isEmpty)
    }

    @Test func uuidsArePackedIntoSixteenBytesAndAnythingElseIsKeptAsText() {
        #expect(
            VisitorProfileRequest.uuidBytes("00112233-4455-6677-8899-AABBCCDDEEFF") == [
                0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
            ])
        #expect(
            VisitorProfileRequest.uuidBytes("00112233-4455-6677-8899-aabbccddeeff")
                == VisitorProfileRequest.uuidBytes("00112233-4455-6677-8899-AABBCCDDEEFF"))
        #expect(VisitorProfileRequest.uuidBytes("00112233x4455-6677-8899-aabbccddeeff") == nil)
        #expect(VisitorProfileRequest.uuidBytes("00112233-4455-6677-8899-aabbccddeefg") == nil)
        #expect(VisitorProfileRequest.uuidBytes("00112233-4455-6677-8899-aabbccddeef") == nil)
        #expect(VisitorProfileRequest.eventIdBytes("abc") == Array("abc".utf8))
        #expect(VisitorProfileRequest.eventIdBytes(nil) == [])
    }
}
