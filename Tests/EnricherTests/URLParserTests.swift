import Testing

@testable import Enricher

@Suite struct URLParserTests {
    private func parts(_ url: String) throws -> URLParts {
        try URLParser.parse(url).get()
    }

    @Test func explodesAllSixPartsRawAndDefaultsPorts() throws {
        let p = try parts("https://www.example.com:8443/a%20b/c.html?q=x%26y&z=1#frag%21")
        #expect(p.scheme == "https")
        #expect(p.host == "www.example.com")
        #expect(p.port == 8443)
        #expect(p.path == "/a%20b/c.html")
        #expect(p.query == "q=x%26y&z=1")
        #expect(p.fragment == "frag%21")
        #expect(p.decodedPath == "/a b/c.html")
        #expect(try parts("https://example.com").port == 443)
        #expect(try parts("http://example.com").port == 80)
        #expect(try parts("ftp://example.com/x").port == 80)
        // Snowplow compares the scheme case-sensitively.
        #expect(try parts("HTTPS://example.com/").port == 80)
        #expect(try parts("HTTPS://Example.COM/").host == "Example.COM")
    }

    @Test func absentOrEmptyPartsAreNil() throws {
        let p = try parts("http://example.com?#")
        #expect(p.path == nil)
        #expect(p.query == nil)
        #expect(p.fragment == nil)
        #expect(p.decodedPath == "")
        let cols = p.columns(.referrer)
        #expect(cols.map(\.column) == ["refr_urlscheme", "refr_urlhost", "refr_urlport", "refr_urlpath", "refr_urlquery", "refr_urlfragment"])
        #expect(cols[2].value == "80")
    }

    @Test func keepsUnicodeRawLikeJava() throws {
        let p = try parts("https://shop.example.fr/café/ü?q=日本語#ß")
        #expect(p.path == "/café/ü")
        #expect(p.query == "q=日本語")
        #expect(p.fragment == "ß")
        #expect(p.url == "https://shop.example.fr/café/ü?q=日本語#ß")
    }

    @Test func replacesSpacesAndEncodesIllegalCharacters() throws {
        let spaced = try parts("http://example.com/a b?q=c d")
        #expect(spaced.url == "http://example.com/a%20b?q=c%20d")
        #expect(spaced.path == "/a%20b")
        let broken = try parts("http://example.com/p|x{y}?q=\"a\"&r=<b>^`#f#g")
        #expect(broken.path == "/p%7Cx%7By%7D")
        #expect(broken.query == "q=%22a%22&r=%3Cb%3E%5E%60")
        #expect(broken.fragment == "f%23g")
        let percent = try parts("http://example.com/100%?q=50%&r=%zz&s=%41")
        #expect(percent.path == "/100%25")
        #expect(percent.query == "q=50%25&r=%25zz&s=%41")
        let brackets = try parts("http://example.com/a[1]?b[2]=3")
        #expect(brackets.path == "/a%5B1%5D")
        #expect(brackets.query == "b[2]=3")
        let control = try parts("http://example.com/a\tb")
        #expect(control.path == "/a%09b")
    }

    @Test func javaHostRules() throws {
        #expect(try parts("http://exa_mple.com/x").host == nil)
        #expect(try parts("http://café.fr/").host == nil)
        #expect(try parts("http://-bad.com/").host == nil)
        #expect(try parts("http://1.2.3.256/").host == nil)
        #expect(try parts("http://1.2.3.4:81/").host == "1.2.3.4")
        #expect(try parts("http://localhost/").host == "localhost")
        #expect(try parts("http://example.com./").host == "example.com.")
        #expect(try parts("http://[2001:db8::1]:8080/").host == "[2001:db8::1]")
        #expect(try parts("http://[2001:db8::1]:8080/").port == 8080)
        #expect(try parts("http://user:pw@example.com/").host == "example.com")
        #expect(try parts("http://example.com:abc/").host == nil)
        #expect(try parts("http://example.com:/").host == "example.com")
        #expect(try parts("http://example.com:99999999999/").host == nil)
        #expect(try parts("file:///etc/hosts").host == nil)
        #expect(try parts("file:///etc/hosts").path == "/etc/hosts")
    }

    @Test func opaqueAndRelativeReferences() throws {
        let mail = try parts("mailto:someone@example.com#x")
        #expect(mail.scheme == "mailto")
        #expect(mail.host == nil && mail.path == nil && mail.decodedPath == nil)
        #expect(mail.fragment == "x")
        let relative = try parts("/just/a/path?x=1")
        #expect(relative.scheme == nil)
        #expect(relative.path == "/just/a/path")
        #expect(relative.query == "x=1")
    }

    @Test(arguments: ["http://", ":nothing", "1http://x.com", "ht*tp://x.com", "http:"])
    func unparseableURLsAreTypedFailures(_ text: String) {
        guard case .failure(let failure) = URLParser.parse(text) else {
            Issue.record("\(text) should not parse")
            return
        }
        #expect(failure.input == text)
        #expect(!failure.reason.isEmpty)
    }

    @Test func querystringParametersAsApacheParsesThem() {
        let params = QueryString.parameters("utm_source=a+b&x=%C3%A9t%C3%A9;flag&=skip&eq=a=b&dup=1&dup=2&bad=%zz&raw=ü")
        #expect(params == [
            URLQueryParameter(name: "utm_source", value: "a b"),
            URLQueryParameter(name: "x", value: "été"),
            URLQueryParameter(name: "flag", value: nil),
            URLQueryParameter(name: "eq", value: "a=b"),
            URLQueryParameter(name: "dup", value: "1"),
            URLQueryParameter(name: "dup", value: "2"),
            URLQueryParameter(name: "bad", value: "%zz"),
            URLQueryParameter(name: "raw", value: "ü"),
        ])
        #expect(QueryValues(params)["dup"] == "2")
        #expect(QueryValues(params)["flag"] == "")
        #expect(QueryString.parameters("").isEmpty)
        #expect(QueryString.parameters("&&;").isEmpty)
        #expect(PercentDecoding.decode("%E2%82%AC%FF", plusAsSpace: false) == "€\u{FFFD}")
    }
}

extension URLParserTests {
    @Test func emptyAuthorityBeforeQueryIsAcceptedLikeJava() throws {
        let p = try URLParser.parse("http://?q=1").get()
        #expect(p.host == nil)
        #expect(p.query == "q=1")
    }
}

extension URLParserTests {
    /// ``QueryValues`` (a search from the end, an index above 32 parameters) answers as the dictionary
    /// it replaced — last value per name, `""` for a pair without `=` — on random querystrings.
    @Test func queryValuesAnswerLikeALastValueDictionary() {
        var generator = SystemRandomNumberGenerator()
        let names = ["utm_source", "utm_medium", "gclid", "_sp", "a", "b", "e\u{301}", "\u{E9}", "x y"]
        for round in 0..<2_000 {
            let count = round % 20 == 0 ? Int.random(in: 30...60, using: &generator) : Int.random(in: 0...8, using: &generator)
            let parameters = (0..<count).map { position in
                URLQueryParameter(
                    name: names.randomElement(using: &generator)!,
                    value: Bool.random(using: &generator) ? "v\(position)" : nil)
            }
            var dictionary: [String: String] = [:]
            for parameter in parameters { dictionary[parameter.name] = parameter.value ?? "" }
            let values = QueryValues(parameters)
            #expect(values.isEmpty == parameters.isEmpty)
            for name in names + ["absent"] {
                #expect(values[name] == dictionary[name], "\(name) in \(parameters.map(\.name))")
            }
        }
    }
}
