import Testing

@testable import Shared

@Suite("Querystring parser")
struct TrackerProtocolQueryStringTests {
    func pairs(_ text: String) -> [QueryParameter]? { try? QueryStringParser.parse(text).get() }

    func firstViolation(_ text: String) -> QueryStringViolation? {
        if case .failure(let violation) = QueryStringParser.parse(text) { return violation }
        return nil
    }

    @Test func decodesPlusPercentAndUTF8() {
        let decoded = pairs("page=Gr%C3%BC%C3%9Fe+%E2%80%93+%F0%9F%98%80&url=https%3A%2F%2Fex.com%2F%3Fa%3Db%26c&raw=日本")
        #expect(decoded == [
            QueryParameter(name: "page", value: "Grüße – 😀"),
            QueryParameter(name: "url", value: "https://ex.com/?a=b&c"),
            QueryParameter(name: "raw", value: "日本"),
        ])
    }

    @Test func keepsEveryPairInOrderAndHandlesEmptyAndBareNames() {
        #expect(pairs("a=1&&b=&c&=x&a=2&") == [
            QueryParameter(name: "a", value: "1"), QueryParameter(name: "b", value: ""),
            QueryParameter(name: "c", value: ""), QueryParameter(name: "", value: "x"),
            QueryParameter(name: "a", value: "2"),
        ])
        #expect(pairs("") == [])
        #expect(pairs("k=a=b") == [QueryParameter(name: "k", value: "a=b")])
        #expect(pairs("k+1%3D=v") == [QueryParameter(name: "k 1=", value: "v")])
    }

    @Test func repeatedNamesKeepTheLastValueLikeEnrich() throws {
        let parameters = TrackerParameters(try QueryStringParser.parse("e=pv&aid=first&p=web&aid=second").get())
        #expect(parameters["aid"] == "second")
        #expect(parameters.names == ["e", "aid", "p"])
    }

    @Test(arguments: [
        ("a=%", 2), ("a=%4", 2), ("a=%zz&b=1", 2), ("ok=1&bad%G1=2", 8), ("a=100%", 5),
    ])
    func reportsInvalidPercentEscapes(text: String, offset: Int) throws {
        let violation = try #require(firstViolation(text))
        #expect(violation.kind == .invalidPercentEscape)
        #expect(violation.offset == offset)
        #expect(violation.field == "querystring")
        #expect(text.contains(violation.segment))
    }

    @Test(arguments: ["a=%C3%28", "a=%FF", "a=%ED%A0%80", "x=1&b=%E2%82"])
    func reportsInvalidUTF8(text: String) throws {
        let violation = try #require(firstViolation(text))
        #expect(violation.kind == .invalidUTF8)
    }

    @Test func violationBecomesAMalformedQuerystringProtocolViolation() {
        let outcome = TrackerRequestParser().parse(TrackerRequest(endpoint: .pixel, querystring: "e=pv&page=%E2%28"))
        #expect(outcome.violations.map(\.kind) == [.malformedQueryString])
        #expect(outcome.violations.first?.field == "querystring")
        #expect(outcome.violations.first?.value == "page=%E2%28")
    }
}
