import Testing

@testable import Shared

@Suite struct ClickHouseResultTests {
    private func rows(_ text: String) -> [[String?]] {
        ClickHouseResult(body: Array(text.utf8)).tabSeparatedRows()
    }

    @Test func splitsRowsAndFields() {
        #expect(rows("1\ta\n2\tb\n") == [["1", "a"], ["2", "b"]])
        #expect(rows("") == [])
        #expect(rows("x") == [["x"]])
    }

    @Test func undoesClickHouseEscapes() {
        // How ClickHouse writes 'a<TAB>b', 'line1<LF>line2', a backslash, a quote and a NUL.
        #expect(rows("a\\tb\tline1\\nline2\tback\\\\slash\tit\\'s\tnul\\0\n") == [["a\tb", "line1\nline2", "back\\slash", "it's", "nul\u{0}"]])
    }

    @Test func nullIsNilButAnEscapedBackslashNIsText() {
        #expect(rows("\\N\t\\\\N\t\n") == [[nil, "\\N", ""]])
    }

    @Test func jsonEachRowGivesOneLinePerRow() {
        let result = ClickHouseResult(body: Array("{\"a\":1}\n{\"a\":2}\n".utf8))
        #expect(result.jsonEachRowLines() == ["{\"a\":1}", "{\"a\":2}"])
    }
}
