import NIOHTTP1
import Testing

@testable import Collector

@Suite struct ConnectionMemoTests {
    @Test func headerLinesAreReusedOnlyForTheSameHeader() {
        let memo = ConnectionMemo()
        #expect(memo.headerLine(index: 0, name: "User-Agent", value: "A") == "User-Agent: A")
        #expect(memo.headerLine(index: 0, name: "User-Agent", value: "A") == "User-Agent: A")
        #expect(memo.headerLine(index: 0, name: "User-Agent", value: "B") == "User-Agent: B", "a changed value is rendered anew")
        #expect(memo.headerLine(index: 0, name: "Referer", value: "B") == "Referer: B", "a changed name is rendered anew")
        #expect(memo.headerLine(index: 5, name: "X", value: "1") == "X: 1", "an index beyond the memo still renders")
    }

    @Test func storedHeadersStayCorrectAcrossRequestsOnOneConnection() {
        let memo = ConnectionMemo()
        let first = HTTPHeaders([("Host", "c.example"), ("User-Agent", "UA 1"), ("Cookie", "sp=a")])
        let second = HTTPHeaders([("Host", "c.example"), ("User-Agent", "UA 2"), ("Cookie", "sp=b; x=1")])
        let one = CollectorExchange.storedHeaders(first, anonymous: false, cookie: memo.cookieHeader("sp=a"), contentType: nil, memo: memo)
        let two = CollectorExchange.storedHeaders(second, anonymous: false, cookie: memo.cookieHeader("sp=b; x=1"), contentType: "text/plain", memo: memo)
        #expect(one == ["Host: c.example", "User-Agent: UA 1", "Cookie: sp=a"])
        #expect(two == ["Host: c.example", "User-Agent: UA 2", "Cookie: sp=b;x=1", "text/plain"])
    }

    @Test func setCookieIsRenderedAgainWhenAnythingChanges() {
        let memo = ConnectionMemo()
        var renders = 0
        func values(_ id: String, _ second: Int64, _ origin: String?) -> [String] {
            memo.setCookie(networkUserId: id, second: second, origin: origin) {
                renders += 1
                return ["\(id)-\(second)-\(origin ?? "none")"]
            }
        }
        #expect(values("a", 1, nil) == ["a-1-none"])
        #expect(values("a", 1, nil) == ["a-1-none"])
        #expect(renders == 1)
        #expect(values("a", 2, nil) == ["a-2-none"])
        #expect(values("b", 2, nil) == ["b-2-none"])
        #expect(values("b", 2, "https://x") == ["b-2-https://x"])
        #expect(renders == 4)
    }
}
