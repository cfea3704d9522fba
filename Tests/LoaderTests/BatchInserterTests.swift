import Shared
import Synchronization
import Testing

@testable import Loader

/// A stand-in for a ClickHouse table: refuses any insert containing a poison row (with a row-data
/// error), fails the first `outages` requests as if the server were down, and records what it accepted.
final class FakeTable: RowInsertTarget, Sendable {
    private let state: Mutex<(accepted: [UInt8], requests: Int, tokens: [String], outages: Int)>
    let poison: Set<UInt8>
    let error: ClickHouseServerError

    init(poison: Set<UInt8> = [], outages: Int = 0, error: ClickHouseServerError = ClickHouseServerError(code: 395, message: "Value passed to 'throwIf' function is non zero", httpStatus: 500)) {
        self.poison = poison
        self.error = error
        self.state = Mutex((accepted: [], requests: 0, tokens: [], outages: outages))
    }

    var accepted: [UInt8] { state.withLock { $0.accepted } }
    var requests: Int { state.withLock { $0.requests } }
    var tokens: [String] { state.withLock { $0.tokens } }

    func insert(rows: [UInt8], token: String) async throws {
        let down = state.withLock { state -> Bool in
            state.requests += 1
            state.tokens.append(token)
            if state.outages > 0 {
                state.outages -= 1
                return true
            }
            return false
        }
        if down {
            throw FreshetError(.clickHouseConnectionFailed, "connection refused", retriable: true)
        }
        if rows.contains(where: poison.contains) {
            throw FreshetError(.clickHouseServerError, "rejected", retriable: false, underlying: error)
        }
        state.withLock { $0.accepted += rows }
    }
}

@Suite struct BatchInserterTests {
    func inserter(_ table: FakeTable, giveUp: Bool = false, retries: Counter? = nil) -> BatchInserter<FakeTable> {
        BatchInserter(
            target: table, backoff: RetryBackoff(initial: .milliseconds(1), maximum: .milliseconds(2)),
            shouldGiveUp: { giveUp }, onRetry: { _, _ in retries?.add() })
    }

    final class Counter: Sendable {
        let value = Mutex(0)
        func add() { value.withLock { $0 += 1 } }
    }

    /// Rows are single bytes 0..<count.
    func insert(_ inserter: BatchInserter<FakeTable>, count: Int) async throws -> [BatchInserter<FakeTable>.Rejection] {
        try await inserter.insert(rowCount: count, token: "t") { range in range.map { UInt8($0) } }
    }

    @Test func aCleanBatchIsOneRequest() async throws {
        let table = FakeTable()
        #expect(try await insert(inserter(table), count: 100).isEmpty)
        #expect(table.accepted == (0..<100).map { UInt8($0) })
        #expect(table.requests == 1)
        #expect(table.tokens == ["t"])
    }

    @Test func bisectingIsolatesEachPoisonRowAndLoadsTheRest() async throws {
        let table = FakeTable(poison: [17, 64, 65])
        let rejections = try await insert(inserter(table), count: 100)
        #expect(rejections.map(\.row) == [17, 64, 65])
        #expect(rejections.allSatisfy { $0.message.contains("395") })
        #expect(table.accepted.sorted() == (0..<100).filter { ![17, 64, 65].contains($0) }.map { UInt8($0) })
        #expect(table.requests < 100 / 2, "bisecting costs O(k log n) requests, not one per row")
        #expect(Set(table.tokens).count == table.tokens.count, "every sub-batch has its own token")
    }

    @Test func aBatchOfOnePoisonRowIsRejectedWhole() async throws {
        let table = FakeTable(poison: [0])
        #expect(try await insert(inserter(table), count: 1).map(\.row) == [0])
        #expect(table.accepted.isEmpty)
    }

    @Test func retriesAnOutageWithTheSameRowsAndToken() async throws {
        let table = FakeTable(outages: 3)
        let retries = Counter()
        #expect(try await insert(inserter(table, retries: retries), count: 10).isEmpty)
        #expect(table.requests == 4)
        #expect(Set(table.tokens) == ["t"])
        #expect(retries.value.withLock { $0 } == 3)
        #expect(table.accepted == (0..<10).map { UInt8($0) })
    }

    @Test func givesUpOnAnOutageWhenStopping() async throws {
        let table = FakeTable(outages: 100)
        await #expect {
            _ = try await insert(inserter(table, giveUp: true), count: 10)
        } throws: { ($0 as? FreshetError)?.code == .loaderInsertAbandoned }
        #expect(table.accepted.isEmpty)
    }

    @Test func aSchemaErrorIsFatalNotBisected() async throws {
        let table = FakeTable(poison: Set(0...255), error: ClickHouseServerError(code: 60, message: "Table x.events doesn't exist.", httpStatus: 404))
        await #expect {
            _ = try await insert(inserter(table), count: 10)
        } throws: { ($0 as? FreshetError)?.code == .loaderBatchRejected }
        #expect(table.requests == 1)
    }

    @Test func classifiesFailures() {
        let tooManyPartitions = FreshetError(
            .clickHouseServerError, "x", retriable: true,
            underlying: ClickHouseServerError(code: 252, message: "Too many partitions for single INSERT block (more than 100).", httpStatus: 500))
        #expect(InsertFailure(tooManyPartitions) == .rejectedRows("Too many partitions for single INSERT block (more than 100)."))
        #expect(InsertFailure(FreshetError(.clickHouseTimeout, "slow", retriable: true)) == .retriable)
        let overloaded = FreshetError(.clickHouseServerError, "x", retriable: true, underlying: ClickHouseServerError(code: 202, message: "Too many simultaneous queries", httpStatus: 500))
        #expect(InsertFailure(overloaded) == .retriable)
        #expect(InsertFailure(FreshetError(.clickHouseTransferFailed, "rewind failed", retriable: false)) == .retriable, "no answer is never a verdict on the rows")
        if case .fatal = InsertFailure(FreshetError(.clickHouseInvalidRequest, "bad url")) {} else { Issue.record("an invalid request is fatal") }
    }
}
