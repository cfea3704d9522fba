import Testing

@testable import Shipper

@Suite struct TailedFileStateTests {
    let now = ContinuousClock.now

    @Test func rotationDrainsThenWaitsForAcknowledgementsThenCleansUpAfterRetention() {
        var state = TailedFileState.following
        var action: TailedFileState.Action
        (state, action) = state.after(.finished, now: now)
        #expect(state == .draining)
        #expect(state.wantsReading, "the rotated file's tail is still read")
        (state, action) = state.after(.reachedEnd(allAcknowledged: false), now: now)
        #expect(state == .awaitingAcknowledgements)
        #expect(!state.wantsReading)
        (state, action) = state.after(.acknowledged(allAcknowledged: true, endReached: true), now: now)
        #expect(state == .shipped(at: now))
        (state, action) = state.after(.tick(now: now + .seconds(5), retention: .seconds(10), vanished: false), now: now)
        #expect(state == .shipped(at: now) && action == TailedFileState.Action.none, "kept during the retention")
        (state, action) = state.after(
            .tick(now: now + .seconds(10), retention: .seconds(10), vanished: false), now: now)
        #expect(state == .closed && action == .cleanUp)
    }

    @Test func withoutRetentionAFinishedFileStays() {
        let (state, action) = TailedFileState.shipped(at: now).after(
            .tick(now: now + .seconds(86_400), retention: nil, vanished: false), now: now)
        #expect(state == .shipped(at: now) && action == .none)
    }

    @Test func aVanishedShippedFileIsForgotten() {
        let (state, action) = TailedFileState.shipped(at: now).after(
            .tick(now: now, retention: nil, vanished: true), now: now)
        #expect(state == .closed && action == .forget)
    }

    @Test func truncationRestartsAFollowedFile() {
        let (state, action) = TailedFileState.following.after(.truncated, now: now)
        #expect(state == .following && action == .restartFromBeginning)
    }

    @Test func reachingTheEndOfAnActiveFileKeepsFollowing() {
        let (state, action) = TailedFileState.following.after(.reachedEnd(allAcknowledged: true), now: now)
        #expect(state == .following && action == .none)
    }

    @Test func aFullyAcknowledgedDrainedFileIsShippedAtOnce() {
        let (state, _) = TailedFileState.draining.after(.reachedEnd(allAcknowledged: true), now: now)
        #expect(state == .shipped(at: now))
    }
}

@Suite struct AcknowledgementWindowTests {
    @Test func movesOnlyOverARunOfAcknowledgedBatches() {
        var window = AcknowledgementWindow(acknowledgedOffset: 100)
        window.begin(end: 200)
        window.begin(end: 300)
        window.begin(end: 400)
        let movedA = window.acknowledge(end: 300, generation: 0)
        #expect(!movedA, "an earlier batch is still in flight")
        #expect(window.acknowledgedOffset == 100)
        let movedB = window.acknowledge(end: 200, generation: 0)
        #expect(movedB)
        #expect(window.acknowledgedOffset == 300)
        #expect(!window.isIdle)
        let movedC = window.acknowledge(end: 400, generation: 0)
        #expect(movedC)
        #expect(window.acknowledgedOffset == 400)
        #expect(window.isIdle)
    }

    @Test func batchesOfTheContentBeforeATruncationNoLongerCount() {
        var window = AcknowledgementWindow(acknowledgedOffset: 0)
        window.begin(end: 500)
        window.restart(at: 0)
        let movedD = window.acknowledge(end: 500, generation: 0)
        #expect(!movedD)
        #expect(window.acknowledgedOffset == 0)
        window.begin(end: 50)
        let movedE = window.acknowledge(end: 50, generation: 1)
        #expect(movedE)
        #expect(window.acknowledgedOffset == 50)
    }
}
