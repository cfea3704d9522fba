import Shared

/// One streamed insert of event rows (``InsertMode/streamed``): the request starts with the batch's
/// first row and reads chunks of RowBinary rows while the consume loop encodes them.
///
/// The loop ``send(_:)``s a chunk whenever ``chunkBytes`` are encoded (waiting while
/// ``queuedChunks`` are queued: back-pressure from ClickHouse stops polling) and ``finish()``es the
/// body when the batch is flushed; the delivery then awaits ``outcome()``. ``abort()`` fails the
/// request so nothing of the batch is applied. Any failure is reported as ``StreamedInsertFailure``: the
/// rows are gone from memory, so the pipeline reads them again from Kafka.
///
/// `Sendable`; one producer (the consume loop) at a time.
struct StreamedEventInsert: Sendable {
    /// Bytes of encoded rows per chunk handed to the request.
    static let chunkBytes = 1 << 20
    /// Chunks waiting for the request before the loop waits.
    static let queuedChunks = 4

    private let stream: ClickHouseInsertStream
    private let request: Task<Void, any Error>

    /// Starts the insert into `table`.
    init(into table: ClickHouseTable) {
        let stream = ClickHouseInsertStream(capacity: Self.queuedChunks)
        self.stream = stream
        request = Task {
            try await table.client.insert(
                into: table.name, columns: table.columns, format: "RowBinary", body: .stream(stream),
                settings: table.dialect.streamedInsertSettings)
        }
    }

    /// Hands `chunk` to the request.
    ///
    /// - Throws: ``StreamedInsertFailure`` when the request already failed (its own error).
    func send(_ chunk: [UInt8]) async throws {
        do {
            try await stream.send(chunk)
        } catch {
            throw StreamedInsertFailure(underlying: await failure() ?? error)
        }
    }

    /// Ends the body after the chunks sent.
    func finish() { stream.finish() }

    /// Fails the request (nothing of the batch is applied) and waits until it ended.
    func abort() async {
        stream.abort()
        _ = try? await request.value
    }

    /// Waits for ClickHouse's answer to the whole insert.
    ///
    /// - Throws: ``StreamedInsertFailure`` wrapping the request's error.
    func outcome() async throws {
        do {
            try await request.value
        } catch {
            throw StreamedInsertFailure(underlying: error)
        }
    }

    private func failure() async -> (any Error)? {
        do {
            try await request.value
            return nil
        } catch {
            return error
        }
    }
}

/// A streamed insert failed: its rows must be read again from Kafka (``LoaderPipeline`` moves the
/// consumer back to the first offsets not committed and loads them buffered).
struct StreamedInsertFailure: Error, CustomStringConvertible {
    let underlying: any Error
    var description: String { "streamed insert failed: \(underlying)" }
}
