import Shared

#if canImport(Glibc)
    import Glibc
#endif

extension EventRowEncoder {
    /// Appends the row of one enriched TSV line straight from its bytes — no ``EnrichedEvent``, no
    /// `String` per column — and answers `true`; or appends nothing and answers `false` when the line
    /// needs the full parser (a value outside what ``TSVColumnText`` reads, a value the table cannot
    /// hold, a line that is not enriched TSV), which then yields the same row or the precise error.
    ///
    /// The two paths give byte-identical rows (RowEncodingTests compares them); this one costs a
    /// fraction of the parser's time per line because text columns are copied as they are.
    func encodeDirectly(tsv line: UnsafeRawBufferPointer, into writer: inout RowBinaryWriter) -> Bool {
        let columnCount = EnrichedEventField.count
        guard let base = line.baseAddress else { return false }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: columnCount + 1) { starts -> Bool in
            // starts[i] is where column i begins; column i spans starts[i] ..< starts[i + 1] - 1.
            starts[0] = 0
            var found = 0
            var position = 0
            while position < line.count, let hit = memchr(base + position, 0x09, line.count - position) {
                let tab = base.distance(to: UnsafeRawPointer(hit))
                found += 1
                guard found < columnCount else { return false }
                starts[found] = tab + 1
                position = tab + 1
            }
            guard found == columnCount - 1, TSVColumnText.isValidUTF8(line) else { return false }
            starts[columnCount] = line.count + 1
            let columns = TSVColumns(base: base, starts: UnsafePointer(starts.baseAddress!))
            for index in jsonColumns {
                let text = columns[index]
                if !text.isEmpty && !TSVColumnText.looksLikeJSONObject(text) { return false }
            }
            let derived = columns[derivedContextsColumn]
            let entities = derived.isEmpty ? FlattenedEntities.empty : FlattenedEntities(derivedContexts: derived)
            let start = writer.count
            for step in plan where !appendDirectly(step, columns, entities, &writer) {
                writer.truncate(to: start)
                return false
            }
            return true
        }
    }

    private func appendDirectly(
        _ step: EventColumn.Encoding, _ columns: TSVColumns, _ entities: FlattenedEntities,
        _ writer: inout RowBinaryWriter
    ) -> Bool {
        switch step {
        case .string(let column):
            writer.appendBytes(columns[column])
        case .uuid(let column):
            guard let uuid = UUIDText.parse(columns[column]) else { return false }
            writer.appendUUID(high: uuid.high, low: uuid.low)
        case .int32(let column):
            let text = columns[column]
            guard !text.isEmpty else { writer.appendNull(); return true }
            guard let value = TSVColumnText.integer(text), let narrow = Int32(exactly: value) else { return false }
            writer.appendNotNull()
            writer.appendFixed(narrow)
        case .int64(let column):
            let text = columns[column]
            guard !text.isEmpty else { writer.appendNull(); return true }
            guard let value = TSVColumnText.integer(text) else { return false }
            writer.appendNotNull()
            writer.appendFixed(Int64(value))
        case .uint16(let column):
            let text = columns[column]
            guard !text.isEmpty else { writer.appendNull(); return true }
            guard let value = TSVColumnText.integer(text), let narrow = UInt16(exactly: value) else { return false }
            writer.appendNotNull()
            writer.appendFixed(narrow)
        case .float64(let column):
            let text = columns[column]
            guard !text.isEmpty else { writer.appendNull(); return true }
            guard TSVColumnText.isPlainNumber(text), let value = Double(String(decoding: text, as: UTF8.self)),
                value.isFinite
            else { return false }
            writer.appendNotNull()
            writer.appendFloat64(value)
        case .decimal(let column):
            let text = columns[column]
            guard !text.isEmpty else { writer.appendNull(); return true }
            guard TSVColumnText.isPlainNumber(text),
                case .success(let scaled) = DecimalScaling.scaled(String(decoding: text, as: UTF8.self), scale: 9)
            else { return false }
            writer.appendNotNull()
            writer.appendInt128(scaled)
        case .boolean(let column):
            let text = columns[column]
            guard !text.isEmpty else { writer.appendNull(); return true }
            guard text.count == 1, text[0] == UInt8(ascii: "0") || text[0] == UInt8(ascii: "1") else { return false }
            writer.appendNotNull()
            writer.appendUInt8(text[0] == UInt8(ascii: "1") ? 1 : 0)
        case .timestamp(let column, let required):
            let text = columns[column]
            if text.isEmpty {
                guard !required else { return false }
                writer.appendNull()
                return true
            }
            guard let milliseconds = TSVColumnText.timestampMilliseconds(text), range.contains(milliseconds) else {
                return false
            }
            if !required { writer.appendNotNull() }
            switch dialect {
            case .current: writer.appendFixed(milliseconds)
            case .legacy: writer.appendFixed(UInt32(milliseconds / 1000))
            }
        case .milliseconds(let column):
            // Its timestamp column came first and was read successfully (or the row was abandoned).
            let milliseconds = TSVColumnText.timestampMilliseconds(columns[column]) ?? 0
            writer.appendFixed(Self.millisecondPart(milliseconds))
        case .entity(let field):
            appendEntity(field, entities, into: &writer)
        case .entityMilliseconds(let field):
            appendEntityMilliseconds(field, entities, into: &writer)
        }
        return true
    }
}

/// The columns of one TSV line: column `i` spans `starts[i] ..< starts[i + 1] - 1` of the line at
/// `base`. Valid only while the line's bytes and the `starts` buffer are.
struct TSVColumns {
    let base: UnsafeRawPointer
    let starts: UnsafePointer<Int>

    subscript(column: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + starts[column], count: starts[column + 1] - 1 - starts[column])
    }
}
