import Testing

@testable import Loader

@Suite struct BatchStateTests {
    let start = ContinuousClock.now

    @Test func flushesWhenTheRowLimitIsReached() {
        var state = BatchState(policy: BatchPolicy(maximumRows: 3, maximumBytes: 1000, maximumDelay: .seconds(1)))
        #expect(state.added(bytes: 10, at: start) == nil)
        #expect(state.added(bytes: 10, at: start) == nil)
        #expect(state.added(bytes: 10, at: start) == .rows)
        #expect(state.rows == 3)
        state.flushed()
        #expect(state.isEmpty)
        #expect(state.rows == 0)
    }

    @Test func flushesWhenTheByteLimitIsReachedFirst() {
        var state = BatchState(policy: BatchPolicy(maximumRows: 100, maximumBytes: 25, maximumDelay: .seconds(1)))
        #expect(state.added(bytes: 10, at: start) == nil)
        #expect(state.added(bytes: 10, at: start) == nil)
        #expect(state.added(bytes: 10, at: start) == .bytes)
    }

    @Test func isDueOnlyAfterTheDelayCountedFromTheFirstRow() {
        var state = BatchState(policy: BatchPolicy(maximumRows: 100, maximumBytes: 1000, maximumDelay: .seconds(1)))
        #expect(state.due(at: start + .seconds(5)) == nil, "an empty batch is never due")
        #expect(state.timeUntilDue(at: start) == nil)
        _ = state.added(bytes: 1, at: start)
        _ = state.added(bytes: 1, at: start + .milliseconds(900))  // a later row does not restart the clock
        #expect(state.due(at: start + .milliseconds(999)) == nil)
        #expect(state.timeUntilDue(at: start + .milliseconds(400)) == .milliseconds(600))
        #expect(state.due(at: start + .seconds(1)) == .delay)
        state.flushed()
        #expect(state.due(at: start + .seconds(10)) == nil)
        _ = state.added(bytes: 1, at: start + .seconds(10))
        #expect(state.due(at: start + .milliseconds(10_500)) == nil, "the clock restarts with the next batch's first row")
    }

    @Test func countsSeveralRowsAtOnce() {
        var state = BatchState(policy: BatchPolicy(maximumRows: 10, maximumBytes: 1000, maximumDelay: .seconds(1)))
        #expect(state.added(rows: 9, bytes: 1, at: start) == nil)
        #expect(state.added(rows: 2, bytes: 1, at: start) == .rows)
    }
}
