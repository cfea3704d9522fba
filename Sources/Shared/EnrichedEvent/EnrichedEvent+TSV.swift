import Foundation

/// The enriched TSV: one line of 131 tab-separated columns in ``EnrichedEventField/all`` order, no
/// line terminator, empty for `nil` (the `good` stream format of Snowplow enrich).
///
/// Writing makes strings TSV-safe exactly like enrich's `ConversionUtils.makeTsvSafe`: a tab becomes
/// four spaces and every other ASCII control character (U+0000–U+001F, U+007F: newlines included) is
/// dropped; a string that ends up empty is written as an empty column and so reads back as `nil`.
/// Reading checks the column count and the type of every column and reports the first problem as an
/// ``EnrichedEventTSVError``. For any event whose strings are TSV-safe and non-empty,
/// `parse(tsvLine: event.tsvLine())` returns an equal event.
///
/// Both directions work on UTF-8 bytes without Foundation formatters; they are safe to call from any
/// thread.
extension EnrichedEvent {
    // MARK: Writing

    /// The event as one enriched TSV line (without a line terminator).
    public func tsvLine() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        appendTSV(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the event's TSV line (without a line terminator) to `bytes`.
    public func appendTSV(to bytes: inout [UInt8]) {
        withColumns { columns in
            if !Self.appendTSVInPlace(columns: columns, to: &bytes) { Self.appendTSV(columns: columns, to: &bytes) }
        }
    }

    /// The event's TSV line (without a line terminator) as bytes, in an array allocated once at the
    /// line's bound and written in place (no zero-filling): what ``appendTSV(to:)`` appends to an empty
    /// array.
    public func tsvBytes() -> [UInt8] {
        withColumns { columns in
            let bound = Self.tsvBound(columns: columns)
            var fits = true
            let line = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                if let written = Self.writeTSVInPlace(columns: columns, into: buffer) {
                    count = written
                } else {
                    fits = false
                    count = 0
                }
            }
            if fits { return line }
            var general: [UInt8] = []
            Self.appendTSV(columns: columns, to: &general)
            return general
        }
    }

    /// The line written straight into `bytes`' buffer: one pass adds up a bound of the line's length
    /// (``tsvBound(columns:)``), the buffer grows once by that bound, a second pass writes every column
    /// through a pointer (``writeTSVInPlace(columns:into:)``) and the unused rest is cut off. Byte for
    /// byte what ``appendTSV(columns:to:)`` writes, without its ~130 appends per line. Returns `false`,
    /// with `bytes` unchanged, when tabs make a string longer than it was (a tab becomes four spaces):
    /// the caller then writes the line with ``appendTSV(columns:to:)``.
    static func appendTSVInPlace(columns event: UnsafeRawPointer, to bytes: inout [UInt8]) -> Bool {
        let bound = tsvBound(columns: event)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: bound))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int? in
            writeTSVInPlace(columns: event, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
        }
        guard let written else {
            bytes.removeSubrange(start...)
            return false
        }
        bytes.removeLast(bound - written)
        return true
    }

    /// A bound of the length of the TSV line of the columns at `event`: each string's UTF-8 length
    /// (cleaning only shortens a string unless it has tabs) and the longest form of every other column,
    /// plus the separators.
    static func tsvBound(columns event: UnsafeRawPointer) -> Int {
        let layout = EnrichedEventField.layout
        var bound = layout.count - 1
        for column in layout {
            let field = event + column.offset
            switch column.type {
            case .string, .json:
                if let count = field.assumingMemoryBound(to: String?.self).pointee?.utf8.count { bound += count }
            case .integer: bound += 20  // "-9223372036854775808"
            case .double: bound += 32  // the longest `Double.description`, "-2.2250738585072014e-308", is 24
            case .decimal:
                if let count = field.assumingMemoryBound(to: SnowplowDecimal?.self).pointee?.text.utf8.count { bound += count }
            case .boolean: bound += 1
            case .timestamp: bound += 23
            }
        }
        return bound
    }

    /// Writes the TSV line of the columns at `event` into `buffer`, which has at least
    /// ``tsvBound(columns:)`` bytes (initialised or not); every column stays within its own share of
    /// the bound. Returns the number of bytes written, or `nil` when tabs make a string longer than it
    /// was (what was written is then garbage).
    static func writeTSVInPlace(columns event: UnsafeRawPointer, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        var cursor = base
        var separator = false
        for column in EnrichedEventField.layout {
            if separator {
                cursor.pointee = 0x09
                cursor += 1
            }
            separator = true
            switch column.type {
            case .string, .json:
                guard let value = column.read(String.self, from: event) else { continue }
                // Within the string's own length: cleaning only widens a string that has tabs.
                guard let end = writeTSVSafe(value, at: cursor, room: value.utf8.count) else { return nil }
                cursor = end
            case .integer:
                if let value = column.read(Int.self, from: event) { cursor = writeDecimalDigits(value, at: cursor) }
            case .double:
                if let value = column.read(Double.self, from: event), value.isFinite {
                    cursor = writeUTF8(value.description, at: cursor)
                }
            case .decimal:
                if let value = column.read(SnowplowDecimal.self, from: event) { cursor = writeUTF8(value.text, at: cursor) }
            case .boolean:
                if let value = column.read(Bool.self, from: event) {
                    cursor.pointee = value ? UInt8(ascii: "1") : UInt8(ascii: "0")
                    cursor += 1
                }
            case .timestamp:
                if let value = column.read(SnowplowTimestamp.self, from: event) {
                    value.writeTSV(into: UnsafeMutableBufferPointer(start: cursor, count: 23))
                    cursor += 23
                }
            }
        }
        let written = cursor - base
        precondition(written <= buffer.count, "TSV line longer than its bound")
        return written
    }

    /// `value` made TSV-safe (tabs become four spaces, other ASCII control characters are dropped) at
    /// `cursor`, in at most `room` bytes; the end of what was written, or `nil` when the cleaned text
    /// needs more room. The one cleaning loop of both writers.
    @inline(__always)
    private static func writeTSVSafe(_ value: String, at cursor: UnsafeMutablePointer<UInt8>, room: Int) -> UnsafeMutablePointer<UInt8>? {
        var value = value
        return value.withUTF8 { utf8 -> UnsafeMutablePointer<UInt8>? in
            let limit = cursor + room
            var cursor = cursor
            var runStart = 0
            var index = TSVControlBytes.first(in: utf8, from: 0)
            while index < utf8.count {
                let run = index - runStart
                let widened = utf8[index] == 0x09 ? 4 : 0
                guard limit - cursor >= run + widened else { return nil }
                if run > 0 { cursor.initialize(from: utf8.baseAddress! + runStart, count: run) }
                cursor += run
                if widened > 0 {
                    cursor.initialize(repeating: 0x20, count: 4)
                    cursor += 4
                }
                runStart = index + 1
                index = TSVControlBytes.first(in: utf8, from: runStart)
            }
            let run = utf8.count - runStart
            guard limit - cursor >= run else { return nil }
            if run > 0 { cursor.initialize(from: utf8.baseAddress! + runStart, count: run) }
            return cursor + run
        }
    }

    /// `value`'s UTF-8 bytes at `cursor`; the end of what was written (the caller made room).
    @inline(__always)
    private static func writeUTF8(_ value: String, at cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var value = value
        return value.withUTF8 { utf8 in
            if let source = utf8.baseAddress, !utf8.isEmpty { cursor.initialize(from: source, count: utf8.count) }
            return cursor + utf8.count
        }
    }

    /// `value` in decimal digits at `cursor`, as `String(value)` writes it (at most 20 bytes); the end of
    /// what was written.
    @inline(__always)
    static func writeDecimalDigits(_ value: Int, at cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var cursor = cursor
        if value < 0 {
            cursor.pointee = UInt8(ascii: "-")
            cursor += 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var scale: UInt = 10
        while magnitude >= scale, digits < 19 {  // |Int| < 10^19
            digits += 1
            scale &*= 10
        }
        var position = cursor + digits - 1
        repeat {
            position.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        return cursor + digits
    }

    /// Appends the TSV line of the columns at `event` (without a line terminator) to `bytes`, column by
    /// column (the general path; see ``appendTSVInPlace(columns:to:)``).
    static func appendTSV(columns event: UnsafeRawPointer, to bytes: inout [UInt8]) {
        var separator = false
        for column in EnrichedEventField.layout {
            if separator { bytes.append(0x09) }
            separator = true
            switch column.type {
            case .string, .json:
                if let value = column.read(String.self, from: event) { Self.appendTSVSafe(value, to: &bytes) }
            case .integer:
                if let value = column.read(Int.self, from: event) { bytes.append(contentsOf: String(value).utf8) }
            case .double:
                if let value = column.read(Double.self, from: event), value.isFinite {
                    bytes.append(contentsOf: value.description.utf8)
                }
            case .decimal:
                if let value = column.read(SnowplowDecimal.self, from: event) { bytes.append(contentsOf: value.text.utf8) }
            case .boolean:
                if let value = column.read(Bool.self, from: event) {
                    bytes.append(value ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                }
            case .timestamp:
                if let value = column.read(SnowplowTimestamp.self, from: event) { value.appendTSV(to: &bytes) }
            }
        }
    }

    /// `value` made TSV-safe the way enrich's `makeTsvSafe` does: tabs become four spaces, other
    /// ASCII control characters are removed.
    public static func tsvSafe(_ value: String) -> String {
        var text = value
        let needsCleaning = text.withUTF8 { TSVControlBytes.first(in: $0, from: 0) < $0.count }
        guard needsCleaning else { return value }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 8)
        appendTSVSafe(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` made TSV-safe (``writeTSVSafe(_:at:room:)``) to `bytes`.
    static func appendTSVSafe(_ value: String, to bytes: inout [UInt8]) {
        let room = value.utf8.count * 4  // every byte a tab, at worst
        guard room > 0 else { return }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: room))
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            let cursor = buffer.baseAddress! + start
            // Four bytes per input byte always suffice.
            return writeTSVSafe(value, at: cursor, room: room)! - cursor
        }
        bytes.removeLast(room - written)
    }

    // MARK: Reading

    /// Reads one enriched TSV line (without a line terminator).
    ///
    /// - Parameter validatingJSON: when `true`, the three JSON columns must parse as JSON objects;
    ///   by default they are only checked to be delimited by `{` … `}` (full parsing costs several
    ///   microseconds per kilobyte of contexts).
    public static func parse(tsvLine: String, validatingJSON: Bool = false) -> Result<EnrichedEvent, EnrichedEventTSVError> {
        var line = tsvLine
        return line.withUTF8 { parse(tsvBytes: UnsafeRawBufferPointer($0), validatingJSON: validatingJSON) }
    }

    /// Reads one enriched TSV line from UTF-8 bytes (e.g. a Kafka message); see
    /// ``parse(tsvLine:validatingJSON:)``. String columns must be valid UTF-8.
    public static func parse(tsvBytes bytes: some ContiguousBytes, validatingJSON: Bool = false) -> Result<EnrichedEvent, EnrichedEventTSVError> {
        bytes.withUnsafeBytes { parse(tsvBytes: $0, validatingJSON: validatingJSON) }
    }

    /// Reads one enriched TSV line from UTF-8 bytes; see ``parse(tsvLine:validatingJSON:)``.
    public static func parse(tsvBytes bytes: UnsafeRawBufferPointer, validatingJSON: Bool = false) -> Result<EnrichedEvent, EnrichedEventTSVError> {
        let columnCount = EnrichedEventField.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: columnCount + 1) { starts in
            // starts[i] is where column i begins; starts[columnCount] is one past the end of the line
            // plus one, so column i always spans starts[i] ..< starts[i + 1] - 1.
            starts[0] = 0
            var found = 0
            if let base = bytes.baseAddress {
                var position = 0
                while position < bytes.count,
                    let hit = memchr(base + position, 0x09, bytes.count - position)
                {
                    let tab = base.distance(to: UnsafeRawPointer(hit))
                    found += 1
                    if found < columnCount { starts[found] = tab + 1 }
                    position = tab + 1
                }
            }
            guard found == columnCount - 1 else {
                return .failure(.wrongColumnCount(expected: columnCount, actual: found + 1))
            }
            starts[columnCount] = bytes.count + 1

            // Validate UTF-8 once for the whole line (a no-op scan for ASCII); a line with invalid
            // UTF-8 is then decoded column by column to name the offending column.
            let validUTF8 = isValidUTF8(bytes)
            var event = EnrichedEvent()
            let failedIndex = event.withMutableColumns { target -> Int? in
                let layout = EnrichedEventField.layout
                for index in 0..<columnCount {
                    let column = UnsafeRawBufferPointer(rebasing: bytes[starts[index]..<(starts[index + 1] - 1)])
                    if column.isEmpty { continue }
                    guard
                        decodeColumn(
                            column, as: layout[index], into: target, knownValidUTF8: validUTF8,
                            validatingJSON: validatingJSON)
                    else { return index }
                }
                return nil
            }
            if let index = failedIndex {
                let column = UnsafeRawBufferPointer(rebasing: bytes[starts[index]..<(starts[index + 1] - 1)])
                return .failure(
                    .invalidValue(field: EnrichedEventField.all[index], value: String(decoding: column, as: UTF8.self)))
            }
            return .success(event)
        }
    }

    /// Whether `bytes` are valid UTF-8, with a fast path for ASCII.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let bytes = bytes.bindMemory(to: UInt8.self)
        return ASCII.isASCII(bytes) || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Decodes one non-empty column into the event at `target`; `false` if the text is not of the
    /// column's type.
    private static func decodeColumn(
        _ column: UnsafeRawBufferPointer, as layout: EnrichedEventField.Layout, into target: UnsafeMutableRawPointer,
        knownValidUTF8: Bool, validatingJSON: Bool
    ) -> Bool {
        switch layout.type {
        case .string:
            guard let value = decodeUTF8(column, knownValid: knownValidUTF8) else { return false }
            layout.write(value, to: target)
        case .json:
            guard looksLikeJSONObject(column, validating: validatingJSON, knownValidUTF8: knownValidUTF8),
                let value = decodeUTF8(column, knownValid: knownValidUTF8)
            else { return false }
            layout.write(value, to: target)
        case .integer:
            guard let value = parseInteger(column) else { return false }
            layout.write(value, to: target)
        case .double:
            guard JSONNumber.isValidLiteral(column) || isLenientFloat(column),
                let value = Double(String(decoding: column, as: UTF8.self)), value.isFinite
            else { return false }
            layout.write(value, to: target)
        case .decimal:
            guard JSONNumber.isValidLiteral(column) else { return false }
            layout.write(SnowplowDecimal(validatedText: String(decoding: column, as: UTF8.self)), to: target)
        case .boolean:
            guard column.count == 1 else { return false }
            switch column[0] {
            case UInt8(ascii: "1"): layout.write(true, to: target)
            case UInt8(ascii: "0"): layout.write(false, to: target)
            default: return false
            }
        case .timestamp:
            guard let value = SnowplowTimestamp.parseTSV(column) else { return false }
            layout.write(value, to: target)
        }
        return true
    }

    private static func decodeUTF8(_ column: UnsafeRawBufferPointer, knownValid: Bool) -> String? {
        knownValid ? String(decoding: column, as: UTF8.self) : String(validating: column, as: UTF8.self)
    }

    /// `-?[0-9]+` within `Int` range.
    static func parseInteger(_ column: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        let negative = column[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < column.count else { return nil }
        var value = 0
        while index < column.count {
            let byte = column[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// Float spellings other writers produce that are not JSON numbers: a leading `+` or leading
    /// zeros (`+1.5`, `01.5`), or a bare trailing/leading point (`1.`, `.5`). Digits, one point, an
    /// optional exponent; no `NaN`/`Infinity`/hex.
    static func isLenientFloat(_ column: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        if column[0] == UInt8(ascii: "+") || column[0] == UInt8(ascii: "-") { index = 1 }
        var digits = 0
        var points = 0
        while index < column.count {
            let byte = column[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits += 1
            } else if byte == UInt8(ascii: ".") {
                points += 1
            } else {
                break
            }
            index += 1
        }
        guard digits > 0, points <= 1 else { return false }
        if index == column.count { return true }
        guard column[index] == UInt8(ascii: "e") || column[index] == UInt8(ascii: "E") else { return false }
        index += 1
        if index < column.count, column[index] == UInt8(ascii: "+") || column[index] == UInt8(ascii: "-") { index += 1 }
        guard index < column.count else { return false }
        while index < column.count {
            guard column[index] >= UInt8(ascii: "0"), column[index] <= UInt8(ascii: "9") else { return false }
            index += 1
        }
        return true
    }

    /// `{` … `}` (ignoring surrounding spaces), or a full JSON-object parse when `validating`
    /// (`knownValidUTF8`: the line was already checked, so strings need not be re-validated).
    static func looksLikeJSONObject(_ column: UnsafeRawBufferPointer, validating: Bool, knownValidUTF8: Bool) -> Bool {
        if validating {
            let parsed = JSONParser.pipelineOutput.parse(utf8: column, knownValidUTF8: knownValidUTF8)
            guard case .success(let value) = parsed else { return false }
            return value.objectValue != nil
        }
        var first = 0
        var last = column.count - 1
        while first <= last, column[first] == 0x20 { first += 1 }
        while last >= first, column[last] == 0x20 { last -= 1 }
        return first < last && column[first] == UInt8(ascii: "{") && column[last] == UInt8(ascii: "}")
    }
}

