import Foundation
import FreshetTestSupport
import Testing

@testable import Enricher
@testable import Shared

/// The visitor profile store against the shared local Redis, each test under its own key prefix.
@Suite(.timeLimit(.minutes(2))) struct VisitorProfileStoreTests {
    typealias T = VisitorProfileTesting
    let start = VisitorProfileTesting.start
    let minute = VisitorProfileTesting.minute

    /// A profile written before session 5 (version 1: a touch as `{time, eight values}`) is read as it
    /// was — counts, session, both touches — and written back as version 2 (`{time, packed values}`).
    @Test func aVersionOneProfileIsReadAndUpgraded() async throws {
        let redis = T.sharedRedis()
        let configuration = T.configuration("upgrade")
        let key = configuration.keyPrefix + "v:carol"
        // The version-1 array as the old script stored it (cmsgpack.pack of the Lua table).
        let first = "{\(start), 'search', 'Google', 'shoes', '', '', '', '', 'www.google.com'}"
        let last = "{\(start + minute), 'email', 'newsletter', '', 'spring', '', '', '', ''}"
        _ = try await redis.evalScript(
            RedisScript(
                "redis.call('SET', KEYS[1], cmsgpack.pack({1, \(start), \(start + minute), 3, 2, 1, 'sid-1', \(start), 0, '', 0, 0, \(first), \(last)}))"
            ), keys: [RedisArgument(key)])
        let store = try VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
        let batch = try await store.update([T.input("carol", at: start + 2 * minute)])
        let context = try #require(batch.outputs[0].context)
        #expect(!context.isNewVisitor && !context.isNewSession && context.eventCount == 4 && context.pageViewCount == 3)
        #expect(context.sessionId == "sid-1" && context.sessionIndex == 1 && context.visitCount == 1)
        #expect(context.firstTouch?.timestamp.millisecondsSinceEpoch == start)
        #expect(context.firstTouch?.source == "Google" && context.firstTouch?.term == "shoes")
        #expect(context.firstTouch?.refererHost == "www.google.com" && context.firstTouch?.campaign == nil)
        #expect(context.lastTouch?.medium == "email" && context.lastTouch?.campaign == "spring")

        // Written back as version 2: the version number and each touch's two values.
        let stored = try await redis.evalScript(
            RedisScript("local p = cmsgpack.unpack(redis.call('GET', KEYS[1])) return {p[1], #p[13], p[13][2], #p[14]}"),
            keys: [RedisArgument(key)])
        #expect(stored.array?.map { $0.integer.map(String.init) ?? $0.string ?? "?" } == [
            "2", "2", "6:search6:Google5:shoes0:0:0:0:14:www.google.com", "2",
        ])
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }

    @Test func countsVisitsAndKeepsTheFirstAndLastTouch() async throws {
        let redis = T.sharedRedis()
        let configuration = T.configuration("touch")
        let store = try VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
        let search = VisitorProfileInput.Attribution(
            refererMedium: "search", refererSource: "Google", refererTerm: "shoes", refererHost: "www.google.com")
        let campaign = VisitorProfileInput.Attribution(
            refererMedium: "internal", marketingMedium: "email", marketingSource: "newsletter",
            marketingCampaign: "spring")
        let internalReferer = VisitorProfileInput.Attribution(
            refererMedium: "internal", refererHost: "shop.example.com")

        let events = [
            T.input("alice", at: start),  // direct
            T.input("alice", at: start + minute, attribution: search),
            T.input("alice", at: start + 2 * minute, pageView: false),
            T.input("bob", at: start + 3 * minute, attribution: internalReferer),
        ]
        let first = try await store.update(events)
        let (a, b, c, bob) = try {
            let all = try T.contexts(first); return (all[0], all[1], all[2], all[3])
        }()
        #expect(first.attempts == 1 && !first.isSkipped && first.duplicateCount == 0)
        #expect(a.isNewVisitor && a.isNewSession && a.eventCount == 1 && a.pageViewCount == 1 && a.visitCount == 1)
        #expect(a.firstTouch == nil && a.lastTouch == nil)
        #expect(!b.isNewVisitor && !b.isNewSession && b.eventCount == 2 && b.pageViewCount == 2)
        #expect(b.firstTouch?.source == "Google" && b.firstTouch?.term == "shoes" && b.lastTouch == b.firstTouch)
        #expect(c.eventCount == 3 && c.pageViewCount == 2 && c.sessionId == a.sessionId)
        #expect(c.firstSeen.millisecondsSinceEpoch == start && c.lastSeen.millisecondsSinceEpoch == start + 2 * minute)
        #expect(bob.isNewVisitor && bob.firstTouch == nil, "an internal referer is no touch")

        // A campaign two hours later: a new session, the new last touch; the first touch stays.
        let later = try await store.update([T.input("alice", at: start + 120 * minute, attribution: campaign)])
        let d = try #require(later.outputs[0].context)
        #expect(d.isNewSession && d.visitCount == 2 && d.sessionIndex == 2 && d.eventCount == 4)
        #expect(d.firstTouch?.source == "Google" && d.lastTouch?.medium == "email" && d.lastTouch?.campaign == "spring")
        #expect(d.lastTouch?.timestamp.millisecondsSinceEpoch == start + 120 * minute)

        // A late event with an earlier touch becomes the first touch; lastSeen does not move back.
        let social = VisitorProfileInput.Attribution(refererMedium: "social", refererSource: "Facebook")
        let late = try await store.update([T.input("alice", at: start - 5 * minute, attribution: social)])
        let e = try #require(late.outputs[0].context)
        #expect(e.isLateEvent && !e.isNewSession && e.eventCount == 5)
        #expect(
            e.firstSeen.millisecondsSinceEpoch == start - 5 * minute
                && e.lastSeen.millisecondsSinceEpoch == start + 120 * minute)
        #expect(e.firstTouch?.source == "Facebook" && e.lastTouch?.campaign == "spring")
        #expect(
            e.sessionIndex == 1 && e.sessionId == a.sessionId,
            "it belongs to the first session, 5 minutes before its start")
        #expect(e.sessionStartedAt.millisecondsSinceEpoch == start - 5 * minute)

        // The keys: a profile per visitor and a marker per event id, with their TTLs.
        let prefix = configuration.keyPrefix
        #expect(try await T.keys(prefix: prefix + "v:", redis: redis) == ["\(prefix)v:alice", "\(prefix)v:bob"])
        let eventKeys = try await T.keys(prefix: prefix + "e:", redis: redis)
        #expect(eventKeys.count == 6)
        let profileTTL = try #require(try await redis.command("PTTL", RedisArgument(prefix + "v:alice")).integer)
        #expect(profileTTL > 399 * 86_400_000 && profileTTL <= 400 * 86_400_000)
        let eventKey = RedisArgument(
            bytes: Array((prefix + "e:").utf8) + VisitorProfileRequest.eventIdBytes(events[0].eventId))
        let idTTL = try #require(try await redis.command("PTTL", eventKey).integer)
        #expect(idTTL > 23 * 3_600_000 && idTTL <= 24 * 3_600_000)
        try await T.removeKeys(prefix: prefix, redis: redis)
    }

    /// A stored profile's expiry is set again (`SET … PX`) only once a hundredth of the TTL has passed
    /// since it was last set; writes in between keep it (`KEEPTTL`). A profile stored without the time
    /// of its last expiry (before session 8) gets a new expiry on its next write.
    @Test func theProfileExpiryMovesForwardOncePerHundredthOfTheTTL() async throws {
        let redis = T.sharedRedis()
        var configuration = T.configuration("expiry")
        configuration.profileTTL = .seconds(100 * 60)  // a hundredth: 60 s
        let ttl: Int64 = 100 * 60 * 1000
        let clock = ManualClock()
        let store = try VisitorProfileStore(redis: redis, configuration: configuration, clock: clock.function)
        let key = RedisArgument(configuration.keyPrefix + "v:dora")
        func pttl() async throws -> Int64 { Int64(try #require(try await redis.command("PTTL", key).integer)) }
        // Redis' own clock does not move in a test: shortening the expiry by hand stands in for time passing.
        func shorten() async throws { _ = try await redis.command("PEXPIRE", key, RedisArgument("1000000")) }

        _ = try await store.update([T.input("dora", at: start)])
        #expect(try await pttl() > ttl - 10_000, "a new profile gets the whole TTL")
        try await shorten()
        clock.advance(by: 59_999)
        _ = try await store.update([T.input("dora", at: start + minute)])
        #expect(try await pttl() <= 1_000_000, "within a hundredth of the TTL the expiry is kept")
        clock.advance(by: 1)
        let refreshed = try await store.update([T.input("dora", at: start + 2 * minute)])
        #expect(try await pttl() > ttl - 10_000, "a hundredth of the TTL later it is set again")
        #expect(try #require(refreshed.outputs[0].context).eventCount == 3, "KEEPTTL writes were applied")

        // A profile without the 15th value (as written before session 8): set again on its next write.
        _ = try await redis.evalScript(
            RedisScript(
                "local p = cmsgpack.unpack(redis.call('GET', KEYS[1])) p[15] = nil redis.call('SET', KEYS[1], cmsgpack.pack(p), 'KEEPTTL')"
            ), keys: [key])
        try await shorten()
        let upgraded = try await store.update([T.input("dora", at: start + 3 * minute)])
        #expect(try await pttl() > ttl - 10_000)
        #expect(try #require(upgraded.outputs[0].context).eventCount == 4)
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }

    @Test func sessionsSplitAfterThirtyMinutesOfInactivityInEventTime() async throws {
        let redis = T.sharedRedis()
        let configuration = T.configuration("sessions")
        let store = try VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
        let times: [Int64] = [0, 10 * minute, 40 * minute, 70 * minute + 1, 75 * minute, 200 * minute]
        let batch = try await store.update(times.map { T.input("carol", at: start + $0) })
        let contexts = try T.contexts(batch)
        // Exactly 30 minutes of silence keeps the session (10 → 40); 30 minutes and 1 ms opens one (40 → 70:00.001).
        #expect(contexts.map(\.sessionIndex) == [1, 1, 1, 2, 2, 3])
        #expect(contexts.map(\.isNewSession) == [true, false, false, true, false, true])
        #expect(contexts.map(\.visitCount) == [1, 1, 1, 2, 2, 3])
        #expect(
            contexts.map(\.sessionStartedAt.millisecondsSinceEpoch)
                == [0, 0, 0, 70 * minute + 1, 70 * minute + 1, 200 * minute].map { start + $0 })
        let ids = contexts.map(\.sessionId)
        #expect(Set(ids).count == 3 && ids[0] == ids[2] && ids[3] == ids[4])
        for id in Set(ids) {
            let uuid = try #require(UUID(uuidString: id), "\(id) is a UUID")
            #expect(uuid.uuidString.lowercased() == id)
            #expect(
                Array(id)[14] == "5" && "89ab".contains(Array(id)[19]),
                "a name-based (version 5, RFC 4122 variant) UUID")
        }

        // Late events (the batch is applied in event time: 100 first, then 180). 100 is more than 30 minutes
        // before session 3's start: it belongs to session 2, which it extends at the end. 180 is within 30
        // minutes before session 3's start: session 3, whose start moves back to it. lastSeen stays.
        let late = try T.contexts(
            try await store.update([
                T.input("carol", at: start + 180 * minute), T.input("carol", at: start + 100 * minute),
            ]))
        #expect(late.map(\.sessionIndex) == [3, 2])
        #expect(late.map(\.isLateEvent) == [true, true] && late.allSatisfy { !$0.isNewSession && $0.visitCount == 3 })
        #expect(late[0].sessionId == ids[5] && late[0].sessionStartedAt.millisecondsSinceEpoch == start + 180 * minute)
        #expect(
            late[1].sessionId == ids[3] && late[1].sessionStartedAt.millisecondsSinceEpoch == start + 70 * minute + 1)
        #expect(late.allSatisfy { $0.lastSeen.millisecondsSinceEpoch == start + 200 * minute })
        // An event far before everything tracked goes to the oldest tracked session (2) without moving it.
        let ancient = try #require(
            try await store.update([T.input("carol", at: start - 600 * minute)]).outputs[0].context)
        #expect(
            ancient.sessionIndex == 2 && ancient.isLateEvent
                && ancient.sessionStartedAt.millisecondsSinceEpoch == start + 70 * minute + 1)
        #expect(ancient.firstSeen.millisecondsSinceEpoch == start - 600 * minute)
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }

    @Test func theSessionTimeoutIsConfigurable() async throws {
        let redis = T.sharedRedis()
        var configuration = T.configuration("timeout")
        configuration.sessionTimeout = .seconds(5 * 60)
        let store = try VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
        let contexts = try T.contexts(
            try await store.update([0, 5, 11, 12].map { T.input("dan", at: start + $0 * minute) }))
        #expect(contexts.map(\.sessionIndex) == [1, 1, 2, 2])
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }

    @Test func aBatchOutOfOrderGivesWhatTheSameEventsInOrderGive() async throws {
        let redis = T.sharedRedis()
        let configuration = T.configuration("order")
        let store = try VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
        let offsets: [Int64] = [0, 3, 50, 52, 120, 121, 300]
        let search = VisitorProfileInput.Attribution(refererMedium: "search", refererSource: "Bing")
        func inputs(_ visitor: String) -> [VisitorProfileInput] {
            offsets.enumerated().map {
                T.input(
                    visitor, at: start + $1 * minute, eventId: "\(visitor)-\($0)", pageView: $0 % 2 == 0,
                    attribution: $0 == 3 ? search : .init())
            }
        }
        let ordered = try T.contexts(try await store.update(inputs("inorder")))
        let shuffled = Array(inputs("shuffled").enumerated()).shuffled()
        let batch = try await store.update(shuffled.map(\.element))
        var reordered = [VisitorContext?](repeating: nil, count: offsets.count)
        for (position, (original, _)) in shuffled.enumerated() { reordered[original] = batch.outputs[position].context }
        let comparable = { (context: VisitorContext) in
            [
                context.eventCount, context.pageViewCount, context.visitCount, context.sessionIndex,
                Int(context.sessionStartedAt.millisecondsSinceEpoch), context.isNewSession ? 1 : 0,
                context.isLateEvent ? 1 : 0,
                Int(context.firstTouch?.timestamp.millisecondsSinceEpoch ?? 0),
            ]
        }
        #expect(reordered.map { $0.map(comparable) } == ordered.map(comparable))
        #expect(ordered.allSatisfy { !$0.isLateEvent })
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }

    /// Two enrichers (own clients, own tasks) hammer one visitor with interleaved batches: every event is
    /// counted exactly once and the sessions form one sequence.
    @Test func twoEnrichersUpdatingOneVisitorConcurrentlyKeepExactCountsAndOneSessionSequence() async throws {
        let configuration = T.configuration("concurrent")
        let total = 2000
        // One event per 20 s of event time, with a 31-minute gap after every 100: 20 sessions if in order.
        let events: [VisitorProfileInput] = (0..<total).map { index in
            let gaps = Int64(index / 100)
            return T.input(
                "erin", at: start + Int64(index) * 20_000 + gaps * 31 * minute, eventId: "erin-\(index)",
                pageView: index % 3 == 0)
        }
        let results = try await withThrowingTaskGroup(of: [VisitorContext].self) { group in
            for enricher in 0..<2 {
                group.addTask {
                    // Exact counts are asserted below: no timeout-driven retry (see sharedRedis).
                    let store = try VisitorProfileStore(
                        redis: T.sharedRedis(poolSize: 1, commandTimeout: .seconds(30)), configuration: configuration)
                    var contexts: [VisitorContext] = []
                    // Enricher 0 takes the even events, enricher 1 the odd ones, in batches of 25 (plus other visitors' noise).
                    let mine = events.enumerated().filter { $0.offset % 2 == enricher }.map(\.element)
                    for batchStart in stride(from: 0, to: mine.count, by: 25) {
                        let batch =
                            Array(mine[batchStart..<min(batchStart + 25, mine.count)])
                            + [T.input("noise-\(enricher)-\(batchStart)", at: start)]
                        contexts += try T.contexts(try await store.update(batch)).filter { $0.visitor.id == "erin" }
                    }
                    return contexts
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(results.count == total)
        // Every increment happened exactly once, atomically: the counts seen are exactly 1…N.
        #expect(Set(results.map(\.eventCount)) == Set(1...total))
        #expect(results.max { $0.pageViewCount < $1.pageViewCount }?.pageViewCount == (total + 2) / 3)
        #expect(results.filter(\.isNewVisitor).count == 1)
        // One session sequence: index ↔ id one to one, indices 1…visitCount, each opened exactly once.
        let visitCount = try #require(results.map(\.visitCount).max())
        var idOfIndex: [Int: String] = [:]
        var indexOfId: [String: Int] = [:]
        for context in results {
            #expect(idOfIndex[context.sessionIndex, default: context.sessionId] == context.sessionId)
            #expect(indexOfId[context.sessionId, default: context.sessionIndex] == context.sessionIndex)
            idOfIndex[context.sessionIndex] = context.sessionId
            indexOfId[context.sessionId] = context.sessionIndex
        }
        #expect(Set(idOfIndex.keys) == Set(1...visitCount))
        #expect(results.filter(\.isNewSession).count == visitCount)
        #expect(visitCount >= 20, "the 19 gaps of 31 minutes split at least 20 sessions")
        let last = try #require(results.max { $0.eventCount < $1.eventCount })
        #expect(last.firstSeen.millisecondsSinceEpoch == start)
        #expect(last.lastSeen == events.map(\.timestamp).max())
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: T.sharedRedis())
    }

    /// A batch queued behind a call that Redis did not answer (its predecessor failed) is withheld: it
    /// sends nothing until the predecessor's turn ended, then goes, in one attempt.
    @Test func aBatchBehindAnUnansweredCallWaitsUntilItsPredecessorEnded() async throws {
        let redis = T.sharedRedis()
        let configuration = T.configuration("withheld")
        let store = try VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
        let previous = ProfileTurn()
        previous.markQueued()  // queued but never answered: as after a failed call
        let turn = ProfileTurn()
        let update = Task {
            try await store.update([T.input("dora", at: start)], order: ProfileOrder(after: previous, turn: turn))
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await T.keys(prefix: configuration.keyPrefix, redis: redis).isEmpty, "nothing was sent")
        #expect(!turn.isAnswered)
        previous.end()
        let batch = try await update.value
        #expect(batch.outputs[0].context?.isNewVisitor == true && batch.attempts == 1)
        #expect(turn.isAnswered)
        #expect(try await T.keys(prefix: configuration.keyPrefix, redis: redis).count == 2, "the profile and the event id")
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }

    /// An error reply is no answer to follow: a batch queued behind a call whose script failed sends
    /// nothing until that batch's turn ended (a transient error reply is retried, and the next batch must
    /// not overtake the retry).
    @Test func aBatchBehindAnErrorReplyWaitsUntilItsPredecessorEnded() async throws {
        let redis = T.sharedRedis()
        let configuration = T.configuration("error_reply")
        let store = try VisitorProfileStore(redis: redis, configuration: configuration, clock: ManualClock().function)
        // The event id's key holds a hash: the script's GET of a known id fails with WRONGTYPE.
        try await redis.command("HSET", RedisArgument(configuration.keyPrefix + "e:broken-id"), "field", "value")
        let first = ProfileTurn(), second = ProfileTurn()
        let failing = Task {
            try await store.update([T.input("erin", at: start, eventId: "broken-id")], order: ProfileOrder(turn: first))
        }
        await first.waitUntilQueued()
        let following = Task {
            try await store.update([T.input("fred", at: start)], order: ProfileOrder(after: first, turn: second))
        }
        await #expect { _ = try await failing.value } throws: {
            ($0 as? FreshetError)?.code == .visitorProfileScriptFailed
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!second.isAnswered)
        #expect(try await redis.command("EXISTS", RedisArgument(configuration.keyPrefix + "v:fred")).integer == 0, "nothing was sent")
        first.end()
        let batch = try await following.value
        #expect(batch.outputs[0].context?.isNewVisitor == true && second.isAnswered)
        try await T.removeKeys(prefix: configuration.keyPrefix, redis: redis)
    }
}
