/// One HTTP connection to ClickHouse with its own thread: a ``CurlEasyHandle`` created on first use and
/// only touched from the connection's `BlockingExecutor`, so `curl_easy_perform` never runs on the
/// cooperative pool.
///
/// `@unchecked Sendable`: `handle` is read and written only inside closures run on `executor`, a serial
/// queue, so accesses never overlap.
final class ClickHouseConnection: @unchecked Sendable {
    private let executor: BlockingExecutor
    private var handle: CurlEasyHandle?

    init(label: String) {
        self.executor = BlockingExecutor(label: label)
    }

    /// Performs `request` on this connection's thread. Throws ``CurlError`` when no answer arrived.
    func perform(_ request: CurlRequest) async throws -> CurlResponse {
        try await executor.run {
            let handle: CurlEasyHandle
            if let existing = self.handle {
                handle = existing
            } else {
                handle = try CurlEasyHandle()
                self.handle = handle
            }
            return try handle.perform(request)
        }
    }
}
