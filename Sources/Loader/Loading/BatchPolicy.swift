/// When the loader sends what it has collected to ClickHouse: whichever limit is reached first.
///
/// ClickHouse prefers few large inserts (10k–100k rows, about one per second per table); the byte
/// limit bounds memory, the delay bounds how stale the tables can be. Plain value; `Sendable`.
struct BatchPolicy: Sendable, Equatable {
    /// Most rows in one insert. Default: 50 000.
    var maximumRows = 50_000
    /// Most encoded (RowBinary) bytes in one buffered insert; at most two batches are in memory (one
    /// being inserted, one filling). Default: 32 MiB (~14 000 enriched events of ~2 KB).
    var maximumBytes = 32 << 20
    /// Most encoded bytes in one streamed insert (``InsertMode/streamed``; only a few chunks of it are
    /// in memory at a time). Default: 256 MiB.
    var maximumStreamedBytes = 256 << 20
    /// Longest time the first row of a batch waits before the batch is sent. Default: 1 s.
    var maximumDelay: Duration = .seconds(1)
}
