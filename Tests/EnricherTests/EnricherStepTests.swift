import Foundation
import FreshetTestSupport
import Shared
import Testing

@testable import Enricher

/// The built-in steps on their own: derived timestamp (reference §3.4), event fingerprint, and the
/// registry's fixed order.
@Suite struct EnricherStepTests {
    typealias P = EnricherTestPayloads

    static func time(_ milliseconds: Int64) -> SnowplowTimestamp { SnowplowTimestamp(millisecondsSinceEpoch: milliseconds)! }

    @Test func derivedTimestampCases() {
        let derive = DerivedTimestampEnrichment.derive
        // true_tstamp wins.
        #expect(derive(Self.time(5), Self.time(100), Self.time(200), Self.time(1000)) == Self.time(5))
        // collector − (sent − created) when created < sent.
        #expect(derive(nil, Self.time(100), Self.time(250), Self.time(1000)) == Self.time(850))
        // created ≥ sent: collector.
        #expect(derive(nil, Self.time(300), Self.time(250), Self.time(1000)) == Self.time(1000))
        #expect(derive(nil, Self.time(250), Self.time(250), Self.time(1000)) == Self.time(1000))
        // A missing device timestamp: collector.
        #expect(derive(nil, nil, Self.time(250), Self.time(1000)) == Self.time(1000))
        #expect(derive(nil, Self.time(100), nil, Self.time(1000)) == Self.time(1000))
    }

    @Test func derivedTimestampEndToEnd() throws {
        let collector = P.timestamp
        let event = try #require(P.process([P.get("e=pv&p=web&dtm=\(collector - 10_000)&stm=\(collector - 4_000)")]).events.first)
        #expect(event.derivedTstamp?.millisecondsSinceEpoch == collector - 6_000)
        let withTrue = try #require(P.process([P.get("e=pv&p=web&ttm=1600000000000&dtm=1&stm=2")]).events.first)
        #expect(withTrue.derivedTstamp?.millisecondsSinceEpoch == 1_600_000_000_000)
    }

    @Test func fingerprintMatchesAnIndependentHashOfTheSortedParameters() throws {
        let parameters: TrackerParameters = ["tv": "js-3", "e": "pv", "eid": "ignored", "aid": "shop", "stm": "1", "url": "https://a/b?c=ä"]
        for algorithm in EventFingerprintEnrichment.Algorithm.allCases {
            let step = EventFingerprintEnrichment(excludedParameters: ["eid", "stm"], algorithm: algorithm, identity: nil)
            // Oracle: Python's hashlib over Snowplow's definition.
            let script = """
                import hashlib, sys
                params = {"tv": "js-3", "e": "pv", "eid": "ignored", "aid": "shop", "stm": "1", "url": "https://a/b?c=ä"}
                text = "".join(k + "\\u001f" + v + "\\u001f" for k, v in sorted(params.items()) if k not in ("eid", "stm"))
                print(hashlib.new(sys.argv[1], text.encode("utf-8")).hexdigest())
                """
            let name = ["MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512"][algorithm.rawValue]!
            let expected = try ChildProcess.python(script, arguments: [name]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(step.fingerprint(of: parameters) == expected, "\(algorithm)")
        }
    }

    @Test func fingerprintIgnoresExcludedParametersAndParameterOrder() {
        let step = EventFingerprintEnrichment(excludedParameters: ["eid", "stm"], algorithm: .md5, identity: nil)
        let a: TrackerParameters = ["e": "pv", "aid": "x", "eid": "1", "stm": "10"]
        let b: TrackerParameters = ["aid": "x", "stm": "99", "e": "pv", "eid": "2"]
        let c: TrackerParameters = ["aid": "y", "e": "pv"]
        #expect(step.fingerprint(of: a) == step.fingerprint(of: b), "a resend differs only in excluded parameters")
        #expect(step.fingerprint(of: a) != step.fingerprint(of: c))
    }

    @Test func fingerprintEndToEnd() throws {
        let step = EventFingerprintEnrichment(excludedParameters: ["eid"], algorithm: .sha256, identity: nil)
        let event = try #require(P.process([P.get("e=pv&p=web&aid=a")], steps: [step]).events.first)
        #expect(event.eventFingerprint == step.fingerprint(of: ["e": "pv", "p": "web", "aid": "a"]))
        #expect(event.eventFingerprint?.count == 64)
    }

    @Test func thePipelineRunsStepsInSnowplowsOrderWhateverTheConfigurationOrder() {
        let pipeline = EnrichmentPipeline(steps: [
            AnonymizeIPStep(anonymizer: IPAnonymizationEnrichment(configuration: try! IPAnonymizationConfiguration(ipv4Octets: 1)), identity: nil),
            EventFingerprintEnrichment(excludedParameters: [], algorithm: .md5, identity: nil),
        ] + EnrichmentRegistry.builtIn)
        let order = pipeline.steps.map(\.step.rawValue)
        #expect(order == order.sorted())
        #expect(pipeline.steps.last?.step == .anonymizeIP)
    }

    @Test func geoLookupsSeeTheAddressBeforeAnonymisation() throws {
        let anonymize = AnonymizeIPStep(anonymizer: IPAnonymizationEnrichment(configuration: try IPAnonymizationConfiguration(ipv4Octets: 2)), identity: nil)
        let output = P.process([P.get("e=pv&p=web")], steps: [anonymize])
        let event = try #require(output.events.first)
        #expect(event.userIpaddress == "203.0.x.x")
    }
}
