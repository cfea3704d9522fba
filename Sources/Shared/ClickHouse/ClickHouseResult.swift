/// The answer to a successful query: the body in whatever format the query asked for (TabSeparated
/// when it names none), with helpers for the text formats.
public struct ClickHouseResult: Sendable {
    /// The answer body, unchanged (decompressed when compression is on).
    public let body: [UInt8]
    /// The query id the server used (`X-ClickHouse-Query-Id`), when it sent one (not 18.16).
    public let queryID: String?

    public init(body: [UInt8], queryID: String? = nil) {
        self.body = body
        self.queryID = queryID
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The rows of a `TabSeparated` answer, each a list of fields with ClickHouse's escapes (`\t`, `\n`,
    /// `\\`, …) undone; `nil` for `\N` (NULL).
    public func tabSeparatedRows() -> [[String?]] {
        var rows: [[String?]] = []
        var row: [String?] = []
        var field: [UInt8] = []
        var isNull = false
        var index = body.startIndex
        func endField() {
            row.append(isNull ? nil : String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            isNull = false
        }
        while index < body.endIndex {
            let byte = body[index]
            switch byte {
            case UInt8(ascii: "\t"):
                endField()
            case UInt8(ascii: "\n"):
                endField()
                rows.append(row)
                row = []
            case UInt8(ascii: "\\") where index + 1 < body.endIndex:
                index += 1
                let escaped = body[index]
                if escaped == UInt8(ascii: "N") && field.isEmpty {
                    isNull = true
                } else {
                    field.append(Self.unescape(escaped))
                }
            default:
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !row.isEmpty || isNull {
            endField()
            rows.append(row)
        }
        return rows
    }

    /// The lines of a `JSONEachRow` answer: one JSON object per row, as text.
    public func jsonEachRowLines() -> [String] {
        body.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func unescape(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "t"): UInt8(ascii: "\t")
        case UInt8(ascii: "n"): UInt8(ascii: "\n")
        case UInt8(ascii: "r"): UInt8(ascii: "\r")
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0c
        case UInt8(ascii: "0"): 0
        case UInt8(ascii: "a"): 0x07
        case UInt8(ascii: "v"): 0x0b
        default: byte  // `\\`, `\'`, `\"` and anything unknown stand for themselves
        }
    }
}
