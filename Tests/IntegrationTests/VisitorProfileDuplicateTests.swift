import Foundation
import FreshetTestSupport
import Testing

@testable import Enricher
@testable import Shared

/// Duplicate detection against the shared local Redis: across store instances ("restarts"), within and
/// after the window, flagged or dropped, and safe retries of a batch that did run.
@Suite(.timeLimit(.minutes(2))) struct VisitorProfileDuplicateTests {
    typealias T = VisitorProfileTesting
    let start = VisitorProfileTesting.start
    let minute = VisitorProfileTesting.minute

    @Test func duplicatesAreFlaggedAcrossRestartsWithinTheWindowAndNotCountedTwice() async throws {
        let configuration = T.configuration("duplicates")
        let clock = ManualClock()
        let events = (0..<5).map { T.input("frank", at: start + Int64($0) * minute) } + [T.input(nil, at: start)]
        let first = try await VisitorProfileStore(
            redis: T.sharedRedis(), configuration: configuration, clock: clock.function
        ).update(events)
        #expect(first.duplicateCount == 0)
        #expect(first.outputs.last == VisitorProfileOutput.none, "no visitor: no context, but checked")

        // A new store with a new client, 23 hours later: every event is a duplicate, nothing counts again.
        clock.advance(by: 23 * 60 * minute)
        let restarted = try VisitorProfileStore(
            redis: T.sharedRedis(), configuration: configuration, clock: clock.function)
        let again = try await restarted.update(events + [T.input("frank", at: start + 6 * minute)])
        #expect(again.outputs.map(\.isDuplicate) == [true, true, true, true, true, true, false])
        #expect(again.duplicateCount == 6 && again.outputs.allSatisfy { !$0.shouldDrop })
        let flagged = try #require(again.outputs[2].context)
        #expect(flagged.duplicate && !flagged.isNewVisitor && !flagged.isNewSession)
        #expect(
            flagged.sessionIndex == 1 && flagged.eventCount == 5, "the profile as it is; the duplicate did not count")
        #expect(try #require(again.outputs[6].context).eventCount == 6)

        // A repeat inside one batch is a duplicate too.
        let id = UUID().uuidString
        let inBatch = try await restarted.update([
            T.input("frank", at: start + 7 * minute, eventId: id),
            T.input("frank", at: start + 7 * minute, eventId: id),
        ])
        #expect(inBatch.outputs.map(\.isDuplicate) == [false, true])
        #expect(inBatch.outputs.map { $0.context?.eventCount } == [7, 7])

        // After the window (counted from when an id was last recorded), the same ids are new again.
        clock.advance(by: 24 * 60 * minute + 1)
        let afterWindow = try await restarted.update(Array(events.prefix(2)))
        #expect(afterWindow.duplicateCount == 0)
        #expect(afterWindow.outputs.map { $0.context?.eventCount } == [8, 9])
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: T.sharedRedis())
    }

    @Test func theDropActionDropsDuplicates() async throws {
        var configuration = T.configuration("drop")
        configuration.duplicateAction = .drop
        let store = try VisitorProfileStore(
            redis: T.sharedRedis(), configuration: configuration, clock: ManualClock().function)
        let events = [T.input("gina", at: start), T.input(nil, at: start)]
        _ = try await store.update(events)
        let again = try await store.update(events + [T.input("gina", at: start + minute)])
        #expect(again.outputs[0] == VisitorProfileOutput(context: nil, isDuplicate: true, shouldDrop: true))
        #expect(again.outputs[1] == VisitorProfileOutput(context: nil, isDuplicate: true, shouldDrop: true))
        #expect(try #require(again.outputs[2].context).eventCount == 2)
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: T.sharedRedis())
    }

    @Test func aRecordDeliveredAgainFromTheSameSourceIsNeitherADuplicateNorCountedTwice() async throws {
        var configuration = T.configuration("sources")
        configuration.duplicateAction = .drop
        let redis = T.sharedRedis()
        func sourced(_ input: VisitorProfileInput, _ source: String) -> VisitorProfileInput {
            var input = input
            input.source = source
            return input
        }
        let events = [T.input("hugo", at: start), T.input("hugo", at: start + minute), T.input(nil, at: start)]
        let first = try await VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
            .update(events.map { sourced($0, "0:41") })
        #expect(first.duplicateCount == 0)
        #expect(first.outputs.map { $0.context?.eventCount } == [1, 2, nil])

        // The enricher was killed before the batch's productions were acknowledged; after a restart the
        // same Kafka record (same partition and offset) comes back: not a duplicate, not dropped, not
        // counted again — its contexts describe the profile as it is.
        let restarted = try VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
        let replay = try await restarted.update(events.map { sourced($0, "0:41") })
        #expect(replay.duplicateCount == 0)
        #expect(replay.outputs.allSatisfy { !$0.shouldDrop && !$0.isDuplicate })
        #expect(replay.outputs.map { $0.context?.eventCount } == [2, 2, nil])

        // The same events in another record (the tracker sent them again): duplicates, dropped.
        let resent = try await restarted.update(events.map { sourced($0, "1:7") })
        #expect(resent.outputs.map(\.shouldDrop) == [true, true, true])
        #expect(resent.duplicateCount == 3)
        // …and the original record once more is still recognised (the id keeps its first source).
        let replayAgain = try await restarted.update(events.map { sourced($0, "0:41") })
        #expect(replayAgain.duplicateCount == 0)
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }

    @Test func aProfileStaysSmallWhateverItsAttributionValues() async throws {
        let configuration = T.configuration("bounded")
        let redis = T.sharedRedis()
        let store = try VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
        let huge = String(repeating: "x", count: 10_000)
        let attribution = VisitorProfileInput.Attribution(
            refererMedium: huge, refererSource: huge, refererTerm: huge, refererHost: huge, marketingMedium: huge,
            marketingSource: huge, marketingTerm: huge, marketingContent: huge, marketingCampaign: huge,
            marketingClickId: huge, marketingNetwork: huge)
        let batch = try await store.update(
            (0..<50).map { T.input("bot", at: start + Int64($0) * minute, attribution: attribution) })
        #expect(batch.outputs.last?.context?.lastTouch?.campaign?.utf8.count == 255)
        // Two touches of eight values of at most 255 bytes, two session ids and a dozen numbers.
        let size = try #require(
            try await redis.command("STRLEN", RedisArgument(configuration.keyPrefix + "v:bot")).integer)
        #expect(size > 2 * 8 * 255 && size < 2 * 8 * 258 + 200, "profile size \(size) bytes")
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }

    /// The connection may break after the script ran (a timeout, Redis restarting): the store then
    /// retries the same batch with the same stamp. The retry must neither count the events again nor
    /// call them duplicates.
    @Test func aRetryOfABatchThatDidRunIsRecognisedByItsStamp() async throws {
        let configuration = T.configuration("replay")
        let redis = T.sharedRedis()
        let inputs = [T.input("hank", at: start), T.input("hank", at: start + 40 * minute), T.input(nil, at: start)]
        let request = VisitorProfileRequest(
            inputs: inputs, configuration: configuration, now: start, stamp: Double(start) + 17.0 / 4096)
        let reply = try await redis.evalScript(
            VisitorProfileScript.script, keys: request.keys, arguments: request.arguments)
        let retry = try await redis.evalScript(
            VisitorProfileScript.script, keys: request.keys, arguments: request.arguments)
        let first = try VisitorProfileReply.outputs(
            from: reply, request: request, inputs: inputs, configuration: configuration)
        let second = try VisitorProfileReply.outputs(
            from: retry, request: request, inputs: inputs, configuration: configuration)
        #expect(
            first.map(\.isDuplicate) == [false, false, false] && second.map(\.isDuplicate) == [false, false, false])
        #expect(first.map { $0.context?.eventCount } == [1, 2, nil])
        #expect(
            second.map { $0.context?.eventCount } == [2, 2, nil], "the retry describes the profile after the batch")
        #expect(second.map { $0.context?.sessionIndex } == [1, 2, nil])
        // A different batch (another stamp) with the same events: duplicates.
        let other = VisitorProfileRequest(
            inputs: inputs, configuration: configuration, now: start, stamp: Double(start) + 18.0 / 4096)
        let duplicate = try await redis.evalScript(
            VisitorProfileScript.script, keys: other.keys, arguments: other.arguments)
        let third = try VisitorProfileReply.outputs(
            from: duplicate, request: other, inputs: inputs, configuration: configuration)
        #expect(third.map(\.isDuplicate) == [true, true, true])
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }
}
