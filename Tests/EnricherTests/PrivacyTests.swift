import Foundation
import FreshetTestSupport
import Shared
import Testing

@testable import Enricher

@Suite struct PrivacyIPAnonymizationTests {
    /// The table of snowplow/enrich AnonIpEnrichmentSpec (ip, octets, segments, expected).
    static let snowplowVectors: [(String?, Int, Int, String?)] = [
        ("0.23.0.20", 1, 1, "0.23.0.x"),
        ("168.192.102.4", 2, 2, "168.192.x.x"),
        ("54.242.102.43", 3, 3, "54.x.x.x"),
        ("94.15.213.171", 4, 4, "x.x.x.x"),
        ("777.2", 1, 1, "777.2"),
        ("777.2.23", 4, 4, "x.x.x"),
        ("999.123.777.2", 3, 3, "999.x.x.x"),
        ("999.aaa.bbb.c", 3, 3, "999.x.x.x"),
        ("hello;goodbye", 3, 3, "hello;goodbye"),
        (nil, 2, 2, nil),
        ("", 4, 4, "x"),
        ("4b0c:0:0:0:880c:99a8:4b0:4411", 1, 1, "4b0c:0:0:0:880c:99a8:4b0:x"),
        ("4b0c::880c:99a8:4b0:4411", 2, 2, "4b0c:0:0:0:880c:99a8:x:x"),
        ("2605:2700:0:3:0:0:4713:93e3", 3, 3, "2605:2700:0:3:0:x:x:x"),
        ("2605:2700:0:3::4713:93e3", 4, 4, "2605:2700:0:3:x:x:x:x"),
        ("2605:2700:0:3::4713:93e3", 4, 5, "2605:2700:0:x:x:x:x:x"),
        ("2605:2700:0:3::4713:93e3", 4, 6, "2605:2700:x:x:x:x:x:x"),
        ("2605:2700:0:3::4713:93e3", 4, 7, "2605:x:x:x:x:x:x:x"),
        ("2605:2700:0:3::4713:93e3", 4, 8, "x:x:x:x:x:x:x:x"),
        ("2605:2700::4713:93e3", 4, 8, "x:x:x:x:x:x:x:x"),
        ("2700::4713", 4, 8, "x:x:x:x:x:x:x:x"),
        ("2700:zzzz::gggg", 4, 6, "2700:zzzz:x:x:x:x:x:x"),
        ("f334::40cb:152.16.24.142", 4, 2, "f334:0:0:0:0:40cb:x:x"),
        ("f334::40cb:152.16.24.142", 4, 4, "f334:0:0:0:x:x:x:x"),
        ("::192.168.0.1", 4, 1, "0:0:0:0:0:0:c0a8:x"),
        ("::FFFF:152.16.24.123", 2, 4, "::FFFF:152.16.x.x"),
        ("::FFFF:152.16.24.123", 4, 4, "::FFFF:x.x.x.x"),
    ]

    @Test func matchesSnowplowsOwnSpecTable() throws {
        var failures: [String] = []
        for (ip, octets, segments, expected) in Self.snowplowVectors {
            let enrichment = IPAnonymizationEnrichment(configuration: try .init(ipv4Octets: octets, ipv6Segments: segments))
            let got = enrichment.anonymize(ip)
            if got != expected { failures.append("\(ip ?? "nil") \(octets)/\(segments): expected \(expected ?? "nil"), got \(got ?? "nil")") }
        }
        print("snowplow AnonIpEnrichmentSpec vectors: \(Self.snowplowVectors.count - failures.count)/\(Self.snowplowVectors.count) passed")
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func mappedAndEdgeForms() throws {
        let two = IPAnonymizationEnrichment(configuration: try .init(ipv4Octets: 2))
        #expect(two.configuration.ipv6Segments == 2)  // defaults to anonOctets
        #expect(two.anonymize("::ffff:10.1.2.3") == "::ffff:10.1.x.x")
        #expect(two.anonymize("0:0:0:0:0:ffff:10.1.2.3") == "0:0:0:0:0:ffff:10.1.x.x")
        #expect(two.anonymize("::ffff:a01:203") == "::ffff:a01:203")  // Java: IPv4, but no dots to mask
        #expect(try IPAnonymizationEnrichment(configuration: .init(ipv4Octets: 4)).anonymize("::ffff:a01:203") == "x")
        #expect(two.anonymize("01.2.3.4") == "01.2.x.x")  // invalid for Guava, masked the same way
        #expect(two.anonymize("2001:DB8::1") == "2001:db8:0:0:0:0:x:x")  // Java's long lower-case form
        #expect(two.anonymize("1:2:3:4:5:6:7:8:9") == "1:2:3:4:5:6:x:x")  // invalid: raw split
        #expect(two.anonymize("...") == "")
        #expect(two.anonymize("localhost") == "localhost")
    }

    /// The byte path of `mask` (ASCII text) against the Character path it replaced, as oracle, on every
    /// text of up to six characters from `1`, `.`, `:` and every keep and pad width the configuration
    /// allows: Java's split (trailing empty parts dropped), keep and pad.
    @Test func maskOverBytesAgreesWithTheCharacterSplit() throws {
        let enrichment = IPAnonymizationEnrichment(configuration: try .init(ipv4Octets: 2))
        var texts = [""]
        var frontier = [""]
        for _ in 1...6 {
            frontier = frontier.flatMap { text in ["1", "22", ".", ":"].map { text + $0 } }
            texts += frontier
        }
        var failures: [String] = []
        for text in texts {
            for separator in [".", ":"] as [Character] {
                for keep in 0...8 {
                    for padTo in [nil, 4, 8] as [Int?] where padTo.map({ $0 >= keep }) ?? true {
                        let bytes = enrichment.mask(text, separator: separator, keep: keep, padTo: padTo)
                        let oracle = IPAnonymizationEnrichment.maskCharacters(text, separator: separator, keep: keep, padTo: padTo)
                        if bytes != oracle { failures.append("'\(text)' \(separator) keep \(keep) pad \(padTo ?? -1): \(bytes) vs \(oracle)") }
                    }
                }
            }
        }
        #expect(texts.count > 5000)
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func rejectsOutOfRangeParameters() {
        for (octets, segments) in [(0, nil), (5, nil), (2, 0), (2, 9)] as [(Int, Int?)] {
            do {
                _ = try IPAnonymizationConfiguration(ipv4Octets: octets, ipv6Segments: segments)
                Issue.record("\(octets)/\(segments ?? -1) should be rejected")
            } catch {
                #expect(error.code == .privacyInvalidConfiguration)
            }
        }
    }
}

@Suite struct PrivacyPIITests {
    private func configuration(
        fields: [String] = [], locators: [PIIJSONLocator] = [], function: String = "SHA-256", salt: String = "pepper",
        emit: Bool = false, anonymousOnly: Bool = false
    ) throws(FreshetError) -> PIIPseudonymizationConfiguration {
        try PIIPseudonymizationConfiguration(
            scalarFields: fields, jsonLocators: locators, hashFunction: function, salt: salt, emitEvent: emit,
            anonymousOnly: anonymousOnly
        )
    }

    /// Independent oracle: Python's hashlib over (value + salt) in UTF-8.
    private func pythonDigests(_ cases: [(String, String, String)]) throws -> [String] {
        let script = """
            import hashlib, json, sys
            names = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
            out = [hashlib.new(names[f], (v + s).encode("utf-8")).hexdigest() for f, v, s in json.load(sys.stdin)]
            print(json.dumps(out))
            """
        let input = try JSONSerialization.data(withJSONObject: cases.map { [$0.0, $0.1, $0.2] })
        let run = try ChildProcess.python(script, input: input)
        try #require(run.status == 0, "python failed: \(run.stderrText)")
        return try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String])
    }

    @Test func hashesMatchPythonHashlib() throws {
        var cases: [(String, String, String)] = []
        for function in PIIHashFunction.allCases {
            for (value, salt) in [("user@example.com", "pepper"), ("", ""), ("Zoë ☃ 日本", "sälz"), ("a\tb\n", "x")] {
                cases.append((function.rawValue, value, salt))
            }
        }
        let expected = try pythonDigests(cases)
        #expect(expected.count == cases.count)
        for (i, c) in cases.enumerated() {
            let enrichment = PIIPseudonymizationEnrichment(configuration: try configuration(function: c.0, salt: c.2))
            #expect(enrichment.scramble(c.1) == expected[i], "\(c.0) of '\(c.1)' + '\(c.2)'")
        }
        print("PII hash vectors vs Python hashlib: \(cases.count) checked")
    }

    @Test func unsupportedAndUnknownConfiguration() {
        for (fields, function, code) in [
            (["user_id"], "MD2", FreshetError.Code.privacyUnsupportedHashFunction),
            (["user_id"], "SHA-3", .privacyInvalidConfiguration),
            (["page_url"], "MD5", .privacyInvalidConfiguration),
        ] {
            do {
                _ = try configuration(fields: fields, function: function)
                Issue.record("\(fields) \(function) should be rejected")
            } catch {
                #expect(error.code == code)
            }
        }
        #expect(throws: (any Error).self) { try PIIJSONLocator(field: "page_url", schemaCriterion: "iglu:a/b/jsonschema/1-*-*", jsonPath: "$.a") }
        #expect(throws: (any Error).self) { try PIIJSONLocator(field: "contexts", schemaCriterion: "iglu:a/b/jsonschema/0-*-*", jsonPath: "$.a") }
        for path in ["a.b", "$.a[?(@.x)]", "$.a[1:2]", "$.a.length()", "$.a[", "$.", "$['a'"] {
            do {
                _ = try JSONPath(path)
                Issue.record("\(path) should be rejected")
            } catch {
                #expect(error.code == .privacyInvalidJSONPath)
            }
        }
        #expect(PIIScalarField.allCases.count == 18)
    }

    @Test func hashesScalarFieldsAndHonoursAnonymousOnly() throws {
        let enrichment = PIIPseudonymizationEnrichment(
            configuration: try configuration(fields: ["user_id", "user_ipaddress", "mkt_term", "domain_userid"], function: "MD5", salt: "s")
        )
        let result = enrichment.pseudonymize(PIIEventInput(scalarValues: [.userId: "alice", .userIPAddress: "1.2.3.4", .marketingTerm: ""]))
        #expect(result.scalarValues[.userId] == PIIHashFunction.md5.hexDigest("alices"))
        #expect(result.scalarValues[.userIPAddress] == PIIHashFunction.md5.hexDigest("1.2.3.4s"))
        #expect(result.scalarValues[.marketingTerm] == PIIHashFunction.md5.hexDigest("s"))  // "" is hashed, nil is not
        #expect(result.scalarValues[.domainUserId] == nil)
        #expect(result.modifications.map(\.fieldName) == ["user_id", "user_ipaddress", "mkt_term"])
        #expect(result.transformationEvent == nil)

        let onlyAnonymous = PIIPseudonymizationEnrichment(configuration: try configuration(fields: ["user_id"], anonymousOnly: true))
        #expect(onlyAnonymous.pseudonymize(PIIEventInput(scalarValues: [.userId: "bob"])) == PIIEventResult())
        #expect(onlyAnonymous.pseudonymize(PIIEventInput(scalarValues: [.userId: "bob"], isAnonymous: true)).scalarValues[.userId] != nil)
        #expect(PIIPseudonymizationEnrichment.hasAnonymousHeader(["Host: x", "SP-Anonymous: *"]))
        #expect(PIIPseudonymizationEnrichment.hasAnonymousHeader(["sp-anonymous:*"]))
        #expect(!PIIPseudonymizationEnrichment.hasAnonymousHeader(["X-SP-Anonymous: *"]))
    }

    @Test func hashesJSONPathsInMatchingEntitiesOnly() throws {
        let locators = [
            try PIIJSONLocator(field: "contexts", schemaCriterion: "iglu:com.acme/user/jsonschema/1-*-*", jsonPath: "$.email"),
            try PIIJSONLocator(field: "contexts", schemaCriterion: "iglu:com.acme/user/jsonschema/1-0-*", jsonPath: "$.aliases"),
            try PIIJSONLocator(field: "unstruct_event", schemaCriterion: "iglu:com.acme/signup/jsonschema/*-*-*", jsonPath: "$..id"),
            try PIIJSONLocator(field: "derived_contexts", schemaCriterion: "iglu:com.acme/d/jsonschema/1-0-0", jsonPath: "$.items[*].name"),
        ]
        let enrichment = PIIPseudonymizationEnrichment(configuration: try configuration(locators: locators, salt: ""))
        let h = { (s: String) in PIIHashFunction.sha256.hexDigest(s) }
        let contexts = #"""
            {"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[
              {"schema":"iglu:com.acme/user/jsonschema/1-0-3","data":{"email":"a@b.c","age":42,"aliases":["x",7,null,"ÿ"],"n":1.50}},
              {"schema":"iglu:com.acme/user/jsonschema/2-0-0","data":{"email":"keep@me"}},
              {"schema":"iglu:com.acme/user/jsonschema/1-1-0","data":{"email":{"nested":"object"},"aliases":["y"]}}]}
            """#
        let unstruct = #"""
            {"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
             "data":{"schema":"iglu:com.acme/signup/jsonschema/1-0-0","data":{"id":"top","user":{"id":"inner","ids":{"id":["p","q"]}},"list":[{"id":"e"}],"n":-2e3}}}
            """#
        let derived = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[{"schema":"iglu:com.acme/d/jsonschema/1-0-0","data":{"items":[{"name":"n1"},{"name":2},{"other":"o"}]}}]}"#
        let result = enrichment.pseudonymize(PIIEventInput(unstructEvent: unstruct, contexts: contexts, derivedContexts: derived))
        #expect(result.jsonFields[.contexts] == #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[{"schema":"iglu:com.acme/user/jsonschema/1-0-3","data":{"email":"\#(h("a@b.c"))","age":42,"aliases":["\#(h("x"))",7,null,"\#(h("ÿ"))"],"n":1.50}},{"schema":"iglu:com.acme/user/jsonschema/2-0-0","data":{"email":"keep@me"}},{"schema":"iglu:com.acme/user/jsonschema/1-1-0","data":{"email":{"nested":"object"},"aliases":["y"]}}]}"#)
        #expect(result.jsonFields[.unstructEvent] == #"{"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0","data":{"schema":"iglu:com.acme/signup/jsonschema/1-0-0","data":{"id":"\#(h("top"))","user":{"id":"\#(h("inner"))","ids":{"id":["\#(h("p"))","\#(h("q"))"]}},"list":[{"id":"\#(h("e"))"}],"n":-2e3}}}"#)
        #expect(result.jsonFields[.derivedContexts] == #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1","data":[{"schema":"iglu:com.acme/d/jsonschema/1-0-0","data":{"items":[{"name":"\#(h("n1"))"},{"name":2},{"other":"o"}]}}]}"#)
        #expect(result.modifications.count == 9)
        #expect(result.modifications.first?.jsonPath == "$..id")  // unstruct_event comes before contexts
        // Nothing matched: the column is left untouched.
        let untouched = enrichment.pseudonymize(PIIEventInput(contexts: #"{"schema":"x","data":[{"schema":"iglu:com.other/user/jsonschema/1-0-0","data":{"email":"a"}}]}"#))
        #expect(untouched.jsonFields.isEmpty && untouched.modifications.isEmpty)
        // Invalid JSON is left alone rather than crashing.
        #expect(enrichment.pseudonymize(PIIEventInput(contexts: "{broken")).jsonFields.isEmpty)
    }

    @Test func jsonPathSubset() throws {
        let doc = try JSONValue(parsing: #"{"a":{"b":["x","y","z"]},"c d":1,"e":[{"f":"1"},{"f":"2"}]}"#)
        func marks(_ path: String) throws -> String {
            try JSONPath(path).map(doc) { v in v.stringValue.map { .string("<" + $0 + ">") } ?? v }.compactText
        }
        #expect(try marks("$.a.b[0]") == #"{"a":{"b":["<x>","y","z"]},"c d":1,"e":[{"f":"1"},{"f":"2"}]}"#)
        #expect(try marks("$.a.b[-1]") == #"{"a":{"b":["x","y","<z>"]},"c d":1,"e":[{"f":"1"},{"f":"2"}]}"#)
        #expect(try marks("$['a']['b'][0,2]") == #"{"a":{"b":["<x>","y","<z>"]},"c d":1,"e":[{"f":"1"},{"f":"2"}]}"#)
        #expect(try marks("$.e[*].f") == #"{"a":{"b":["x","y","z"]},"c d":1,"e":[{"f":"<1>"},{"f":"<2>"}]}"#)
        #expect(try marks("$..f") == #"{"a":{"b":["x","y","z"]},"c d":1,"e":[{"f":"<1>"},{"f":"<2>"}]}"#)
        #expect(try marks("$.a.*[1]") == #"{"a":{"b":["x","<y>","z"]},"c d":1,"e":[{"f":"1"},{"f":"2"}]}"#)
        #expect(try marks("$.missing.path") == doc.compactText)
        #expect(try marks("$.a.b[9]") == doc.compactText)
    }

    @Test func schemaCriterion() {
        let c = WildcardSchemaCriterion("iglu:com.acme/user/jsonschema/1-*-2")
        #expect(c != nil)
        #expect(c?.matches(schemaURI: "iglu:com.acme/user/jsonschema/1-5-2") == true)
        #expect(c?.matches(schemaURI: "iglu:com.acme/user/jsonschema/1-5-3") == false)
        #expect(c?.matches(schemaURI: "iglu:com.acme/user/jsonschema/2-5-2") == false)
        #expect(c?.matches(schemaURI: "iglu:com.acme/users/jsonschema/1-5-2") == false)
        #expect(c?.matches(schemaURI: "iglu:com.acme/user/jsonschema/1-*-2") == false)
        #expect(WildcardSchemaCriterion("iglu:com.acme/user/jsonschema/01-0-0") == nil)
        #expect(WildcardSchemaCriterion("com.acme/user/jsonschema/1-0-0") == nil)
    }

    @Test func emitsThePIITransformationEventInSnowplowsShape() throws {
        let locators = [try PIIJSONLocator(field: "contexts", schemaCriterion: "iglu:com.acme/u/jsonschema/1-0-0", jsonPath: "$.e")]
        let enrichment = PIIPseudonymizationEnrichment(
            configuration: try configuration(fields: ["user_id", "network_userid"], locators: locators, function: "SHA-1", salt: "", emit: true)
        )
        let result = enrichment.pseudonymize(
            PIIEventInput(
                scalarValues: [.userId: "u", .networkUserId: "n"],
                contexts: #"{"schema":"c","data":[{"schema":"iglu:com.acme/u/jsonschema/1-0-0","data":{"e":"m\"x"}}]}"#
            )
        )
        let h = { (s: String) in PIIHashFunction.sha1.hexDigest(s) }
        let event = try #require(result.transformationEvent)
        #expect(event == #"{"schema":"iglu:com.snowplowanalytics.snowplow/pii_transformation/jsonschema/1-0-0","data":{"pii":{"pojo":[{"fieldName":"network_userid","originalValue":"n","modifiedValue":"\#(h("n"))"},{"fieldName":"user_id","originalValue":"u","modifiedValue":"\#(h("u"))"}],"json":[{"fieldName":"contexts","originalValue":"m\"x","modifiedValue":"\#(h("m\"x"))","jsonPath":"$.e","schema":"iglu:com.acme/u/jsonschema/1-0-0"}]},"strategy":{"pseudonymize":{"hashFunction":"SHA-1"}}}}"#)
        _ = try JSONValue(parsing: event)
    }

    @Test func jsonRoundTripAndErrors() throws {
        let text = #"{"s":"a\"b\\c\n\u0001é😀","n":[0,-1.5e+3,1E2],"t":true,"f":false,"z":null,"o":{}}"#
        let value = try JSONValue(parsing: text)
        #expect(value.compactText == #"{"s":"a\"b\\c\n\u0001é😀","n":[0,-1.5e+3,1E2],"t":true,"f":false,"z":null,"o":{}}"#)
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#) == .string("😀"))
        for bad in ["", "{", "[1,]", "01", "\"\u{01}\"", "{\"a\" 1}", "tru", "1 2", String(repeating: "[", count: 600)] {
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: bad) }
        }
    }
}
