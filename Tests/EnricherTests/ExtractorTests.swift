import Testing

@testable import Enricher

@Suite struct ExtractorTests {
    @Test func cookieExtractorParsesCookieHeaders() {
        let extractor = CookieExtractorEnrichment(configuration: .init(cookieNames: ["sp", "q", "empty", "flag", "ü"]))
        let entities = extractor.extract(headers: [
            "Host: example.com",
            "Cookie: sp=abc-123;  other=1 ; q=\"quoted \\\"v\\\" x\" ; empty= ; flag; ü=ünï",
            "cookie: sp=second",
            " Cookie: sp=not-a-cookie-header",
            "COOKIE: sp=first, q=after-comma-ignored",
            "NoColonHere",
        ])
        #expect(entities.allSatisfy { $0.schema == "iglu:org.ietf/http_cookie/jsonschema/1-0-0" })
        #expect(entities.map(\.dataJSON) == [
            #"{"name":"sp","value":"abc-123"}"#,
            #"{"name":"q","value":"quoted \"v\" x"}"#,
            #"{"name":"empty","value":""}"#,
            #"{"name":"flag","value":null}"#,
            #"{"name":"ü","value":"ünï"}"#,
            #"{"name":"sp","value":"second"}"#,
            #"{"name":"sp","value":"first"}"#,
        ])
        #expect(CookieExtractorEnrichment(configuration: .init(cookieNames: [])).extract(headers: ["Cookie: a=1"]).isEmpty)
    }

    @Test func headerExtractorMatchesWholeNamesAndTrims() throws {
        let headers = ["X-Forwarded-For:  1.2.3.4 ", "Origin: https://a.b", "X-Forwarded-Proto: https", "Bad header", "Accept-Language: fr, ü"]
        let literal = try HTTPHeaderExtractorEnrichment(configuration: .init(headersPattern: "X-Forwarded-For|Origin"))
        #expect(literal.extract(headers: headers).map(\.dataJSON) == [
            #"{"name":"X-Forwarded-For","value":"1.2.3.4"}"#, #"{"name":"Origin","value":"https://a.b"}"#,
        ])
        let regex = try HTTPHeaderExtractorEnrichment(configuration: .init(headersPattern: "X-Forwarded-.*"))
        #expect(regex.extract(headers: headers).map(\.dataJSON) == [
            #"{"name":"X-Forwarded-For","value":"1.2.3.4"}"#, #"{"name":"X-Forwarded-Proto","value":"https"}"#,
        ])
        #expect(regex.matches("x-forwarded-for") == false)
        #expect(regex.matches("X-Forwarded-For-Evil") == true)
        let caseless = try HTTPHeaderExtractorEnrichment(configuration: .init(headersPattern: "(?i)accept-language"))
        #expect(caseless.extract(headers: headers).map(\.dataJSON) == [#"{"name":"Accept-Language","value":"fr, ü"}"#])
        let partial = try HTTPHeaderExtractorEnrichment(configuration: .init(headersPattern: "Forwarded"))
        #expect(partial.extract(headers: headers).isEmpty)  // whole-name match, as Java's String.matches
        let all = try HTTPHeaderExtractorEnrichment(configuration: .init(headersPattern: ".*"))
        #expect(all.extract(headers: headers).count == 4)
        #expect(all.extract(headers: headers).allSatisfy { $0.schema == "iglu:org.ietf/http_header/jsonschema/1-0-0" })
    }

    @Test func invalidHeaderPatternIsAConfigurationError() {
        #expect(throws: (any Error).self) { try HTTPHeaderExtractorEnrichment(configuration: .init(headersPattern: "([a-z")) }
        do {
            _ = try HTTPHeaderExtractorEnrichment(configuration: .init(headersPattern: "([a-z"))
        } catch {
            #expect(error.code == .headerExtractorInvalidPattern)
        }
    }
}
