import Synchronization
import Testing

@testable import Enricher

/// ``ProfileTurn`` / ``ProfileOrder``: consecutive batches' round trips happen in batch order however
/// their preparation is scheduled, and a batch that sends nothing still keeps the order transitive.
@Suite struct ProfileTurnTests {
    @Test func waitingAfterTheEndReturnsAndEndingTwiceIsHarmless() async {
        let turn = ProfileTurn()
        turn.end()
        turn.end()
        await turn.waitUntilEnded()
    }

    @Test func queuedIsSignalledByMarkingOrByTheEndAndAnsweredFollowsTheEnd() async {
        let marked = ProfileTurn()
        #expect(!marked.isAnswered)
        let waiter = Task { await marked.waitUntilQueued() }
        marked.markQueued()
        await waiter.value
        #expect(!marked.isAnswered)
        marked.markAnswered()
        #expect(marked.isAnswered)

        let ended = ProfileTurn()
        let queuedWaiter = Task { await ended.waitUntilQueued() }
        let endedWaiter = Task { await ended.waitUntilEnded() }
        ended.end()
        await queuedWaiter.value
        await endedWaiter.value
        #expect(ended.isAnswered)
        await ended.waitUntilQueued()  // after the end: at once
    }

    @Test func roundTripsHappenInBatchOrderWhateverTheSchedule() async {
        let sent = SentOrder()
        var previous: ProfileTurn?
        var orders: [ProfileOrder] = []
        for _ in 0..<60 {
            let turn = ProfileTurn()
            orders.append(ProfileOrder(after: previous, turn: turn))
            previous = turn
        }
        await withTaskGroup(of: Void.self) { group in
            // Started in reverse with random preparation times: later batches are ready first.
            for (batch, order) in orders.enumerated().reversed() {
                group.addTask {
                    try? await Task.sleep(for: .microseconds(Int.random(in: 0...2000)))
                    if batch % 7 == 3 {
                        await order.pass()  // sends nothing
                        return
                    }
                    await order.previous?.waitUntilEnded()
                    sent.batches.withLock { $0.append(batch) }
                    order.turn?.end()
                    await order.pass()  // the caller's final pass is harmless after the stage ended the turn
                }
            }
        }
        let expected = (0..<60).filter { $0 % 7 != 3 }
        #expect(sent.batches.withLock { $0 } == expected)
    }

    /// The batches in the order their round trips happened.
    final class SentOrder: Sendable {
        let batches = Mutex<[Int]>([])
    }
}
