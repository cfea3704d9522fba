import Testing

@testable import Shared

@Suite struct FreshetLogHandlerTests {
    @Test func jsonStringsAreEscaped() {
        var out: [UInt8] = []
        FreshetLogHandler.appendJSONString("a\"b\\c\nd\te\u{01}é😀", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""a\"b\\c\nd\te\u0001é😀""#)
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        let stamp = FreshetLogHandler.timestamp()
        #expect(stamp.count == 24)
        #expect(stamp.hasSuffix("Z"))
        #expect(stamp.dropFirst(10).first == "T")
    }
}
