import Shared

/// The bad rows the loader itself writes to the `bad` topic, in Snowplow's loader bad-row shapes, so
/// a line that cannot be loaded is kept (and lands in the `bad_rows` table) instead of being dropped:
///
/// - `loader_parsing_error` 2-0-0 for a line that is not a loadable enriched event:
///   `failure` = `{"type":"RowDecodingError","errors":[{"type":"InvalidValue","key":…,"value":…,"message":…}]}`
///   (or `{"type":"FieldNumberMismatch","fieldCount":N}`), `payload` = the line;
/// - `loader_runtime_error` 1-0-1 for a row ClickHouse rejected on its own (isolated by bisecting
///   the batch): `failure` = ClickHouse's message, `payload` = the line.
///
/// Pure; `Sendable`.
enum LoaderBadRow {
    static let processor = BadRowProcessor.freshet(service: "loader", version: FreshetVersion.current)
    static let vendor = "iglu:com.snowplowanalytics.snowplow.badrows"

    /// The `loader_parsing_error` JSON for `line`.
    static func parsingError(line: [UInt8], error: EventRowError, now: SnowplowTimestamp = .now()) -> [UInt8] {
        let failure: JSONValue
        switch error {
        case .notEnrichedTSV(.wrongColumnCount(_, let actual)):
            failure = .object(["type": "FieldNumberMismatch", "fieldCount": .number(JSONNumber(actual))])
        case .notEnrichedTSV(.invalidValue(let field, let value)):
            failure = rowDecodingError(key: field.name, value: value, message: error.description)
        case .unloadableValue(let column, let value, _):
            failure = rowDecodingError(key: column, value: value, message: error.description)
        }
        return envelope(name: "loader_parsing_error", version: "2-0-0", failure: failure, line: line, now: now)
    }

    /// The `loader_runtime_error` JSON for a `line` ClickHouse rejected with `message`.
    static func runtimeError(line: [UInt8], message: String, now: SnowplowTimestamp = .now()) -> [UInt8] {
        envelope(name: "loader_runtime_error", version: "1-0-1", failure: .string(message), line: line, now: now)
    }

    private static func rowDecodingError(key: String, value: String, message: String) -> JSONValue {
        .object([
            "type": "RowDecodingError",
            "errors": .array([.object(["type": "InvalidValue", "key": .string(key), "value": .string(value), "message": .string(message)])]),
        ])
    }

    private static func envelope(name: String, version: String, failure: JSONValue, line: [UInt8], now: SnowplowTimestamp) -> [UInt8] {
        let document: JSONValue = .object([
            "schema": .string("\(vendor)/\(name)/jsonschema/\(version)"),
            "data": .object([
                "processor": .object(["artifact": .string(processor.artifact), "version": .string(processor.version)]),
                "failure": failure,
                "payload": .string(String(decoding: line, as: UTF8.self)),
            ]),
        ])
        return Array(document.serialized().utf8)
    }
}
