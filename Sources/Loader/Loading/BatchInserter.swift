import Logging
import Shared

/// Inserts a batch of encoded rows so that it either lands whole or its faulty rows are singled out:
///
/// - a retriable failure (server down, timeout, overload) is retried with ``RetryBackoff`` for as long
///   as it takes — the caller is blocked meanwhile, which pauses consumption — until
///   ``shouldGiveUp`` says the loader is stopping;
/// - rows the server refuses (``InsertFailure/rejectedRows(_:)``) are isolated by bisecting: each half
///   is inserted on its own, recursively, so k bad rows in n cost about 2·k·log₂(n) inserts and every
///   good row loads;
/// - any other failure throws ``FreshetError/Code/loaderBatchRejected``: nothing is committed and the
///   loader stops rather than skip data.
///
/// Sub-batch tokens extend the batch's token with the row range, so a retried sub-batch is again
/// recognisable. `Sendable`; one call at a time per batch.
struct BatchInserter<Target: RowInsertTarget>: Sendable {
    let target: Target
    let backoff: RetryBackoff
    /// Asked before each wait: `true` abandons the insert (the batch stays uncommitted).
    let shouldGiveUp: @Sendable () -> Bool
    /// Called before each wait with the error and the wait.
    let onRetry: @Sendable (_ error: any Error, _ wait: Duration) -> Void
    /// Called for each insert request that succeeded, with its row count.
    var onInserted: @Sendable (_ rows: Int) -> Void = { _ in }

    /// A row the server refused on its own, with the server's message.
    struct Rejection: Sendable, Equatable {
        var row: Int
        var message: String
    }

    /// Inserts rows `0..<rowCount`; `bytes(range)` gives the encoded rows of a range.
    /// Returns the rows refused one by one (all others were accepted).
    func insert(rowCount: Int, token: String, bytes: @Sendable (Range<Int>) -> [UInt8]) async throws -> [Rejection] {
        guard rowCount > 0 else { return [] }
        return try await insert(rows: 0..<rowCount, whole: rowCount, token: token, bytes: bytes)
    }

    private func insert(
        rows: Range<Int>, whole: Int, token: String, bytes: @Sendable (Range<Int>) -> [UInt8]
    ) async throws -> [Rejection] {
        let rangeToken = rows.count == whole ? token : "\(token)#\(rows.lowerBound)-\(rows.upperBound)"
        let message: String
        do {
            try await insertRetrying(bytes(rows), token: rangeToken)
            onInserted(rows.count)
            return []
        } catch let failure as RowsRejected {
            message = failure.message
        }
        if rows.count == 1 { return [Rejection(row: rows.lowerBound, message: message)] }
        let middle = rows.lowerBound + rows.count / 2
        let first = try await insert(rows: rows.lowerBound..<middle, whole: whole, token: token, bytes: bytes)
        let second = try await insert(rows: middle..<rows.upperBound, whole: whole, token: token, bytes: bytes)
        return first + second
    }

    private struct RowsRejected: Error {
        var message: String
    }

    private func insertRetrying(_ rows: [UInt8], token: String) async throws {
        var backoff = backoff
        while true {
            do {
                try await target.insert(rows: rows, token: token)
                return
            } catch {
                switch InsertFailure(error) {
                case .rejectedRows(let message):
                    throw RowsRejected(message: message)
                case .fatal(let message):
                    throw FreshetError(
                        .loaderBatchRejected,
                        "ClickHouse refused a batch for a reason retrying cannot fix: \(message). Nothing of it was committed; fix the cause and restart the loader",
                        underlying: error)
                case .retriable:
                    guard !shouldGiveUp() else {
                        throw FreshetError(
                            .loaderInsertAbandoned, "gave up inserting a batch while stopping: \(error); it was not committed and loads on the next start",
                            retriable: true, underlying: error)
                    }
                    let wait = backoff.next()
                    onRetry(error, wait)
                    try await Task.sleep(for: wait)
                }
            }
        }
    }
}
