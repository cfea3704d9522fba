import Shared
import Testing

@testable import Loader

@Suite struct LoaderBadRowTests {
    @Test func parsingErrorsReadBackWithTheirMessage() throws {
        let line = Array("a\tb".utf8)
        let json = String(decoding: LoaderBadRow.parsingError(line: line, error: .unloadableValue(column: "event_id", value: "x", reason: "is not a UUID")), as: UTF8.self)
        let summary = try #require(BadRowSummary(json: json))
        #expect(summary.name == "loader_parsing_error")
        #expect(summary.schema == "iglu:com.snowplowanalytics.snowplow.badrows/loader_parsing_error/jsonschema/2-0-0")
        #expect(summary.processor?.artifact == "freshet-loader")
        #expect(summary.messages == [#"event_id: event_id: "x" is not a UUID"#])
        #expect(json.contains(#""payload":"a\tb""#))

        let mismatch = String(decoding: LoaderBadRow.parsingError(line: line, error: .notEnrichedTSV(.wrongColumnCount(expected: 131, actual: 2))), as: UTF8.self)
        #expect(BadRowSummary(json: mismatch)?.messages == ["FieldNumberMismatch (2 fields)"])
    }

    @Test func runtimeErrorsCarryClickHouseMessage() throws {
        let json = String(decoding: LoaderBadRow.runtimeError(line: Array("row".utf8), message: "Code 395: Value passed to 'throwIf' function is non zero"), as: UTF8.self)
        let summary = try #require(BadRowSummary(json: json))
        #expect(summary.name == "loader_runtime_error")
        #expect(summary.messages == ["Code 395: Value passed to 'throwIf' function is non zero"])
    }

    @Test func reportRangesAcceptDaysAndTimes() {
        #expect(LoaderReportCommand.normalize("2025-03-01") == "2025-03-01 00:00:00")
        #expect(LoaderReportCommand.normalize("2025-03-01 12:30:00") == "2025-03-01 12:30:00")
        #expect(LoaderReportCommand.normalize("2025-13-01") == nil)
        #expect(LoaderReportCommand.normalize("yesterday") == nil)
    }
}
