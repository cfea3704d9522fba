import Testing

@testable import Shipper

@Suite struct LineSplitterTests {
    func split(_ text: String, max: Int = 100, endOfData: Bool = false) -> ([LineSplitter.Piece], Int, [String]) {
        let bytes = Array(text.utf8)
        var pieces: [LineSplitter.Piece] = []
        let consumed = bytes.withUnsafeBytes {
            LineSplitter.split($0, maxLineBytes: max, endOfData: endOfData, into: &pieces)
        }
        let lines = pieces.compactMap { piece -> String? in
            if case .line(let range) = piece { return String(decoding: bytes[range], as: UTF8.self) }
            return nil
        }
        return (pieces, consumed, lines)
    }

    @Test func neverReturnsAPartialLastLine() {
        let (_, consumed, lines) = split("one\ntwo\nthr")
        #expect(lines == ["one", "two"])
        #expect(consumed == 8, "the partial line is read again next time")
    }

    @Test func aFinishedFileGivesItsLastLineWithoutNewline() {
        let (_, consumed, lines) = split("one\nthr", endOfData: true)
        #expect(lines == ["one", "thr"])
        #expect(consumed == 7)
    }

    @Test func keepsEmptyLines() {
        let (_, consumed, lines) = split("a\n\nb\n")
        #expect(lines == ["a", "", "b"])
        #expect(consumed == 5)
    }

    @Test func nothingCompleteConsumesNothing() {
        let (pieces, consumed, _) = split("abc")
        #expect(pieces.isEmpty)
        #expect(consumed == 0)
    }

    @Test func aLineAtTheLimitIsALine() {
        let (pieces, _, _) = split(String(repeating: "x", count: 10) + "\n", max: 10)
        #expect(pieces == [.line(0..<10)])
    }

    @Test func oversizedLinesAreReportedWithTheirEnd() {
        let (pieces, consumed, _) = split(String(repeating: "x", count: 11) + "\nok\n", max: 10)
        #expect(pieces == [.oversized(start: 0, end: 11), .line(12..<14)])
        #expect(consumed == 15)
    }

    @Test func anOversizedLineWithoutEndConsumesTheBuffer() {
        let (pieces, consumed, _) = split("ok\n" + String(repeating: "x", count: 30), max: 10)
        #expect(pieces == [.line(0..<2), .oversized(start: 3, end: nil)])
        #expect(consumed == 33)
    }
}
