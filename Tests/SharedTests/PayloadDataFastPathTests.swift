import Foundation
import Testing

@testable import Shared

/// The tree-free reading of POST bodies (``JSONParser/payloadData(_:)``, used by
/// ``TrackerRequestParser/wellFormedPayloadData(_:merging:)``) held against the general path through a
/// JSON tree (``TrackerRequestParser/generalPayloadData(_:merging:)``): whenever the fast path accepts a
/// body, the general path must give the same events; whenever the general path reports a violation, the
/// fast path must decline.
@Suite("POST bodies: the tree-free path agrees with the JSON-tree path")
struct PayloadDataFastPathTests {
    static let schema = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"

    /// Bodies of the shapes trackers send, and near misses of each.
    static var bodies: [String] {
        let context = #"{"schema":"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0","data":[{"schema":"iglu:com.acme/page/jsonschema/1-0-0","data":{"id":"a\"b\\c","n":1}}]}"#
        let escapedContext = String(data: try! JSONEncoder().encode(context), encoding: .utf8)!
        let event = #"{"e":"pv","tv":"js-3.0.0","p":"web","eid":"11111111-2222-4333-8444-555555555555","url":"https:\/\/example.com\/p?q=1&r=\u00fc","page":"Gr\u00fc\u00dfe \ud83d\ude00","co":\#(escapedContext)}"#
        let second = #"{"e":"se","tv":"js-3.0.0","p":"web","se_ca":"c","se_ac":"a","dtm":"1700000000000"}"#
        return [
            #"{"schema":"\#(schema)","data":[\#(event)]}"#,
            #"{"schema":"\#(schema)","data":[\#(event),\#(second)]}"#,
            #"  {  "data" : [ \#(second) , \#(event) ] ,  "schema" : "\#(schema)" }  "#,
            "{\n\t\"schema\":\"\(schema)\",\r\n\"data\":[\(second)]\n}\n",
            // near misses: the general path decides
            #"{"schema":"\#(schema)","data":[]}"#,
            #"{"schema":"\#(schema)","data":{}}"#,
            #"{"schema":"\#(schema)","data":[{}]}"#,
            #"{"schema":"\#(schema)","data":[1]}"#,
            #"{"schema":"\#(schema)","data":[{"e":"pv","tv":"t","p":"web","x":1}]}"#,
            #"{"schema":"\#(schema)","data":[{"e":"pv","tv":"t","p":"web","x":null}]}"#,
            #"{"schema":"\#(schema)","data":[{"e":"pv","tv":"t","p":"web","e":"se"}]}"#,
            #"{"schema":"\#(schema)","data":[{"e":"pv","tv":"t","p":"web","unknown_param":"1"}]}"#,
            #"{"schema":"\#(schema)","data":[{"e":"pv","p":"web"}]}"#,
            #"{"schema":"\#(schema)","data":[\#(second)],"extra":true}"#,
            #"{"schema":"\#(schema)","schema":"\#(schema)","data":[\#(second)]}"#,
            #"{"schema":"iglu:com.acme/other/jsonschema/1-0-0","data":[\#(second)]}"#,
            #"{"schema":"not a uri","data":[\#(second)]}"#,
            #"{"schema":1,"data":[\#(second)]}"#,
            #"{"data":[\#(second)]}"#,
            #"{"schema":"\#(schema)","data":[\#(second)]} x"#,
            #"{"schema":"\#(schema)","data":[\#(second)],}"#,
            #"{"schema":"\#(schema)","data":[\#(second),]}"#,
            #"{"schema":"\#(schema)","data":[{"e":"pv","tv":"t","p":"w\u00"}]}"#,
            #"{"schema":"\#(schema)","data":[{"e":"pv","tv":"t","p":"w\ud800"}]}"#,
            "{\"schema\":\"\(schema)\",\"data\":[{\"e\":\"pv\",\"tv\":\"t\",\"p\":\"a\u{1}b\"}]}",
            #"[{"schema":"\#(schema)"}]"#,
            "",
        ]
    }

    /// The outcome both ways for `body`: the fast path's events (or `nil`) and the general path's outcome.
    static func bothWays(_ body: String, parser: TrackerRequestParser) -> (fast: [TrackerEvent]?, general: TrackerRequestOutcome) {
        let query: TrackerParameters = ["aid": "query-app"]
        return (parser.wellFormedPayloadData(body, merging: query), parser.generalPayloadData(body, merging: query))
    }

    @Test("tracker-shaped bodies take the fast path and give the general path's events; near misses decline")
    func corpus() {
        for (parser, expected) in [
            (TrackerRequestParser(), [0, 1, 2, 3, 23]),
            (TrackerRequestParser(rejectsUnknownBodyParameters: false), [0, 1, 2, 3, 11, 23]),
        ] {
            var accepted: [Int] = []
            for (index, body) in Self.bodies.enumerated() {
                let (fast, general) = Self.bothWays(body, parser: parser)
                if let fast {
                    accepted.append(index)
                    #expect(general == .events(fast), "\(body)")
                }
            }
            // The four tracker-shaped bodies; the lone surrogate (both paths read strings alike and
            // accept it); the unknown parameter where it is allowed. Every other near miss declines.
            #expect(accepted == expected)
        }
    }

    @Test("random edits of tracker-shaped bodies: the fast path never disagrees with the general path")
    func mutations() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]":,\ tuen0x"#.utf8) + [0x22, 0x5C, 0xC3, 0xBC]
        let seeds = Self.bodies.prefix(4).map { Array($0.utf8) }
        let parser = TrackerRequestParser()
        var fastAccepted = 0, generalAccepted = 0
        for _ in 0..<4000 {
            var bytes = seeds.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                default: bytes[position] = alphabet.randomElement(using: &generator)!
                }
            }
            guard let body = String(validating: bytes, as: UTF8.self) else { continue }
            let (fast, general) = Self.bothWays(body, parser: parser)
            if general.events != nil { generalAccepted += 1 }
            if let fast {
                fastAccepted += 1
                #expect(general == .events(fast), "\(body)")
            }
        }
        // Both paths accepted some edits (a changed value, a space) and rejected many.
        #expect(fastAccepted > 0 && generalAccepted >= fastAccepted)
    }
}
