import Shared

/// What the loader has collected since the last flush: encoded rows for `events` and `bad_rows`, the
/// loader's own bad rows, and per partition the last record taken (to commit once everything is
/// delivered). The original lines are not kept: a row ClickHouse refuses is turned back into its line
/// by ``EventRowDecoder``.
///
/// Owned by one task at a time (filled by the consume loop, then handed to the delivering task).
struct PendingBatch: Sendable {
    /// The buffer the event rows are written to, recycled from batch to batch (``BatchBufferPool``).
    let eventStorage: BatchBuffer
    /// RowBinary rows of `events`, back to back; `eventRowEnds[i]` is where row `i` ends.
    var events: RowBinaryWriter {
        get { eventStorage.writer }
        nonmutating _modify { yield &eventStorage.writer }
    }
    var eventRowEnds: [Int] = []
    /// The streamed insert of this batch's event rows (``InsertMode/streamed``), opened with its first
    /// row; `events` then holds only the chunk being encoded and `eventRowEnds` stays empty.
    var stream: StreamedEventInsert?
    /// Whether event rows are streamed (chosen when the batch starts).
    let isStreamed: Bool
    /// Event rows written to the stream, and their bytes.
    var streamedRowCount = 0
    var streamedBytes = 0
    /// RowBinary rows of `bad_rows`.
    var badRows: RowBinaryWriter
    var badRowEnds: [Int] = []
    /// Lines that could not become rows, as `loader_parsing_error` bad rows for the `bad` topic.
    var parsingErrors: [[UInt8]] = []
    /// Per partition: the first offset and the last record (its value dropped) in this batch.
    var firstOffsets: [KafkaTopicPartition: Int64] = [:]
    var lastRecords: [KafkaTopicPartition: KafkaConsumerRecord] = [:]
    /// Records taken, whatever became of them.
    var recordCount = 0

    /// An empty batch whose event buffer is reserved for `capacity` bytes up front, so it never grows
    /// by doubling past the batch limit (untouched pages cost no memory).
    init(capacity: Int = 0, streamed: Bool = false) {
        self.init(eventStorage: BatchBuffer(capacity: capacity), streamed: streamed)
    }

    /// An empty batch writing its event rows to `eventStorage` (emptied, capacity kept).
    init(eventStorage: BatchBuffer, streamed: Bool = false) {
        self.eventStorage = eventStorage
        isStreamed = streamed
        badRows = RowBinaryWriter()
    }

    var eventRowCount: Int { isStreamed ? streamedRowCount : eventRowEnds.count }
    var badRowCount: Int { badRowEnds.count }
    var isEmpty: Bool { recordCount == 0 }

    /// Notes that `record` is part of this batch (to be committed with it).
    mutating func take(_ record: KafkaConsumerRecord) {
        let partition = KafkaTopicPartition(topic: record.topic, partition: record.partition)
        if firstOffsets[partition] == nil { firstOffsets[partition] = record.offset }
        var kept = record
        kept.value = []
        kept.key = nil
        kept.headers = []
        lastRecords[partition] = kept
        recordCount += 1
    }

    /// Per partition, the offset after the last record taken.
    var endOffsets: [KafkaTopicPartition: Int64] {
        lastRecords.mapValues { $0.offset + 1 }
    }

    /// The Kafka offsets this batch covers, e.g. `enriched:0:100-199,enriched:1:40-80`: the identity of
    /// an insert for server-side deduplication of a retry.
    var offsetToken: String {
        lastRecords.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map { partition in
            "\(partition.topic):\(partition.partition):\(firstOffsets[partition] ?? 0)-\(lastRecords[partition]?.offset ?? 0)"
        }.joined(separator: ",")
    }

    /// The bytes of event rows `rows` (contiguous).
    func eventRowBytes(_ rows: Range<Int>) -> ArraySlice<UInt8> {
        let start = rows.lowerBound == 0 ? 0 : eventRowEnds[rows.lowerBound - 1]
        let end = rows.isEmpty ? start : eventRowEnds[rows.upperBound - 1]
        return events.bytes[start..<end]
    }


    /// The bytes of bad-row rows `rows`.
    func badRowBytes(_ rows: Range<Int>) -> ArraySlice<UInt8> {
        let start = rows.lowerBound == 0 ? 0 : badRowEnds[rows.lowerBound - 1]
        let end = rows.isEmpty ? start : badRowEnds[rows.upperBound - 1]
        return badRows.bytes[start..<end]
    }
}
