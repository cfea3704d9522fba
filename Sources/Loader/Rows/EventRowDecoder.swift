import Shared

/// Turns one `RowBinary` row of the `events` table back into its enriched TSV line: how the loader
/// recovers the line of a row ClickHouse refused (for its `loader_runtime_error` bad row) without
/// keeping every original line of a batch in memory.
///
/// The line carries every value of the original: texts, numbers, flags and timestamps unchanged;
/// `event_id` in lower case; decimals without trailing fractional zeros (`12.50` → `12.5`). The
/// flattened entity columns are skipped (they are copies of `derived_contexts`, which is in the line).
/// Pure; `Sendable`.
struct EventRowDecoder: Sendable {
    let dialect: ClickHouseDialect
    private let plan: [EventColumn.Encoding]

    init(dialect: ClickHouseDialect) {
        self.dialect = dialect
        self.plan = EventColumns.make(dialect: dialect).map(\.encoding)
    }

    /// The TSV line of `row`, or `nil` if the bytes are not one row of this dialect.
    func tsvLine(_ row: ArraySlice<UInt8>) -> [UInt8]? {
        var reader = RowBinaryReader(bytes: row)
        var columns = [[UInt8]](repeating: [], count: EnrichedEventField.count)
        var pendingSeconds: [Int: Int64] = [:]  // legacy timestamps waiting for their `_ms` column
        for step in plan {
            switch step {
            case .string(let column):
                guard let text = reader.string() else { return nil }
                columns[column] = text
            case .uuid(let column):
                guard let high = reader.fixed(UInt64.self), let low = reader.fixed(UInt64.self) else { return nil }
                columns[column] = Self.uuidText(high: high, low: low)
            case .int32(let column):
                guard let value = reader.nullable({ $0.fixed(Int32.self) }) else { return nil }
                columns[column] = value.map { Array(String($0).utf8) } ?? []
            case .int64(let column):
                guard let value = reader.nullable({ $0.fixed(Int64.self) }) else { return nil }
                columns[column] = value.map { Array(String($0).utf8) } ?? []
            case .uint16(let column):
                guard let value = reader.nullable({ $0.fixed(UInt16.self) }) else { return nil }
                columns[column] = value.map { Array(String($0).utf8) } ?? []
            case .float64(let column):
                guard let value = reader.nullable({ $0.fixed(UInt64.self) }) else { return nil }
                columns[column] = value.map { Array(Double(bitPattern: $0).description.utf8) } ?? []
            case .decimal(let column):
                guard let value = reader.nullable({ $0.int128() }) else { return nil }
                columns[column] = value.map { Self.decimalText($0, scale: 9) } ?? []
            case .boolean(let column):
                guard let value = reader.nullable({ $0.fixed(UInt8.self) }) else { return nil }
                columns[column] = value.map { $0 == 0 ? [0x30] : [0x31] } ?? []
            case .timestamp(let column, let required):
                let value: Int64??
                switch dialect {
                case .current:
                    value = required ? reader.fixed(Int64.self).map { $0 } : reader.nullable { $0.fixed(Int64.self) }
                case .legacy:
                    let seconds = required ? reader.fixed(UInt32.self).map { $0 } : reader.nullable { $0.fixed(UInt32.self) }
                    value = seconds.map { $0.map { Int64($0) * 1000 } }
                }
                guard let value else { return nil }
                if let milliseconds = value {
                    if dialect == .legacy { pendingSeconds[column] = milliseconds } else { columns[column] = Self.timestampText(milliseconds) }
                }
            case .milliseconds(let column):
                guard let milliseconds = reader.fixed(UInt16.self) else { return nil }
                if let seconds = pendingSeconds[column] { columns[column] = Self.timestampText(seconds + Int64(milliseconds)) }
            case .entity(let field):
                guard reader.skipEntity(field.kind, dialect: dialect) else { return nil }
            case .entityMilliseconds:
                guard reader.fixed(UInt16.self) != nil else { return nil }
            }
        }
        guard reader.isAtEnd else { return nil }
        var line: [UInt8] = []
        for (index, column) in columns.enumerated() {
            if index > 0 { line.append(0x09) }
            line += column
        }
        return line
    }

    static func uuidText(high: UInt64, low: UInt64) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for (index, nibble) in (0..<32).enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append(0x2D) }
            let word = nibble < 16 ? high : low
            let shift = UInt64(60 - (nibble % 16) * 4)
            text.append(hex[Int((word >> shift) & 0xF)])
        }
        return text
    }

    static func decimalText(_ value: Int128, scale: Int) -> [UInt8] {
        let negative = value < 0
        var digits = String(negative ? Int128(0) - value : value)
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        var integer = String(digits.dropLast(scale))
        var fraction = String(digits.suffix(scale))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if integer.isEmpty { integer = "0" }
        return Array(((negative ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction)).utf8)
    }

    static func timestampText(_ milliseconds: Int64) -> [UInt8] {
        SnowplowTimestamp(millisecondsSinceEpoch: milliseconds).map { Array($0.tsvString.utf8) } ?? []
    }
}

/// Reads `RowBinary` values from a byte slice; every read returns `nil` past the end.
struct RowBinaryReader {
    let bytes: ArraySlice<UInt8>
    private var position: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    var isAtEnd: Bool { position == bytes.endIndex }

    mutating func fixed<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard bytes.endIndex - position >= size else { return nil }
        var value: T = 0
        for offset in (0..<size).reversed() { value = value << 8 | T(bytes[position + offset]) }
        position += size
        return value
    }

    mutating func int128() -> Int128? {
        guard let low = fixed(UInt64.self), let high = fixed(UInt64.self) else { return nil }
        return Int128(Int64(bitPattern: high)) << 64 | Int128(low)
    }

    mutating func varUInt() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = fixed(UInt8.self) {
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    mutating func string() -> [UInt8]? {
        guard let length = varUInt(), UInt64(bytes.endIndex - position) >= length else { return nil }
        defer { position += Int(length) }
        return Array(bytes[position..<(position + Int(length))])
    }

    /// `.some(nil)` for NULL, `.some(value)`, or `nil` when the bytes run out.
    mutating func nullable<T>(_ read: (inout RowBinaryReader) -> T?) -> T?? {
        guard let flag = fixed(UInt8.self) else { return nil }
        if flag == 1 { return .some(nil) }
        guard let value = read(&self) else { return nil }
        return .some(value)
    }

    mutating func skipEntity(_ kind: EntityField.Kind, dialect: ClickHouseDialect) -> Bool {
        switch kind {
        case .string, .lowCardinalityString: return string() != nil
        case .count: return nullable { $0.fixed(UInt32.self) } != nil
        case .flag: return nullable { $0.fixed(UInt8.self) } != nil
        case .timestamp:
            return dialect == .current ? nullable { $0.fixed(Int64.self) } != nil : nullable { $0.fixed(UInt32.self) } != nil
        }
    }
}
