import Testing

@testable import Shared

/// ``TrackerParameters`` lookups with the packed-name fast path give what `String ==` gives.
@Suite("TrackerParameters lookup")
struct TrackerParametersLookupTests {
    @Test("short ASCII names, prefixes, NUL bytes, long names and removals")
    func names() {
        var parameters: TrackerParameters = ["e": "pv", "a\u{0}": "nul", "a": "plain", "url": "u", "refr_urlhost": "long", "ue_px": "x"]
        #expect(parameters["a"] == "plain")
        #expect(parameters["a\u{0}"] == "nul")
        #expect(parameters["a\u{0}\u{0}"] == nil)
        #expect(parameters["refr_urlhost"] == "long")
        #expect(parameters["refr_urlhos"] == nil)
        #expect(parameters[.event] == "pv")
        #expect(parameters["ue_p"] == nil)
        parameters["a\u{0}"] = nil
        #expect(parameters["a\u{0}"] == nil)
        #expect(parameters["a"] == "plain")
        #expect(parameters["url"] == "u")
        #expect(parameters["ue_px"] == "x")
        parameters["url"] = "v"
        #expect(parameters["url"] == "v")
        #expect(parameters.names == ["e", "a", "url", "refr_urlhost", "ue_px"])
    }

    @Test("a non-ASCII name canonically equal to an ASCII one is found, as String == finds it")
    func canonicalEquivalence() {
        // U+212A KELVIN SIGN is canonically equivalent to "K"; "é" precomposed and decomposed are equal.
        let parameters: TrackerParameters = ["\u{212A}": "kelvin", "e\u{301}": "decomposed"]
        #expect("\u{212A}" == "K")
        #expect(parameters["K"] == "kelvin")
        #expect(parameters["\u{E9}"] == "decomposed")
        #expect(parameters["k"] == nil)
    }

    @Test("agrees with a linear String == scan on random names")
    func randomNames() {
        var generator = SystemRandomNumberGenerator()
        let letters: [Character] = ["a", "b", "K", "\u{212A}", "\u{0}", "é", "e\u{301}"]
        for _ in 0..<300 {
            var parameters = TrackerParameters()
            var reference: [(String, String)] = []
            for step in 0..<Int.random(in: 0...40, using: &generator) {
                let name = String((0..<Int.random(in: 1...9, using: &generator)).map { _ in letters.randomElement(using: &generator)! })
                if step % 7 == 6 {
                    parameters[name] = nil
                    reference.removeAll { $0.0 == name }
                } else {
                    parameters[name] = "\(step)"
                    if let position = reference.firstIndex(where: { $0.0 == name }) { reference[position].1 = "\(step)" } else { reference.append((name, "\(step)")) }
                }
                let probe = String((0..<Int.random(in: 1...9, using: &generator)).map { _ in letters.randomElement(using: &generator)! })
                #expect(parameters[probe] == reference.first { $0.0 == probe }?.1, "\(probe.unicodeScalars.map(\.value))")
            }
            #expect(parameters.names == reference.map(\.0))
        }
    }

    @Test("each parameter's constant packed name is its name packed, and lookups by parameter agree with lookups by name")
    func constantPackedNames() {
        var parameters = TrackerParameters()
        for (position, parameter) in TrackerParameter.allCases.enumerated() {
            #expect(parameter.packedName == TrackerParameters.packedName(parameter.rawValue), "\(parameter)")
            #expect(parameter.packedName != 0, "\(parameter) does not pack")
            if position % 3 == 0 { parameters[parameter.rawValue] = "v\(position)" }
        }
        for parameter in TrackerParameter.allCases {
            #expect(parameters[parameter] == parameters[parameter.rawValue], "\(parameter)")
        }
        // Past the index threshold, lookups by parameter go through the index.
        for extra in 0..<40 { parameters["extra_parameter_\(extra)"] = "x" }
        for parameter in TrackerParameter.allCases {
            #expect(parameters[parameter] == parameters[parameter.rawValue], "\(parameter)")
        }
        #expect(parameters[.event] == "v0")
    }

    @Test("each parameter's ordinal is its place in allCases and its packed name maps back to it")
    func ordinalsAndPackedNames() {
        #expect(TrackerParameter.allCases.count <= 80, "TrackerParameters.knownPositions has room for 80")
        #expect(MemoryLayout<TrackerParameter>.size == 1)
        for (position, parameter) in TrackerParameter.allCases.enumerated() {
            #expect(parameter.ordinal == position, "\(parameter)")
            #expect(TrackerParameter(packedName: parameter.packedName) == parameter, "\(parameter)")
            #expect(TrackerParameter(packedName: TrackerParameters.packedName(parameter.rawValue)) == parameter, "\(parameter)")
        }
        for other in ["", "x", "ee", "urls", "ue_p", "refr_urlhost", "E", "K"] {
            #expect(TrackerParameter(packedName: TrackerParameters.packedName(other)) == nil, "\(other)")
        }
    }

    @Test("lookups of known parameters agree with a linear String == scan through additions, replacements, removals, unpacked names and the index threshold")
    func knownParametersAgainstScan() {
        var generator = SystemRandomNumberGenerator()
        let known = TrackerParameter.allCases.map(\.rawValue)
        // Known names, other short names, long names, and names that do not pack ("\u{212A}" equals "K").
        let pool = known + ["zz", "q1", "K", "long_parameter_name", "\u{212A}", "e\u{301}", "\u{65}\u{300}"]
        for round in 0..<200 {
            var parameters = TrackerParameters()
            var reference: [(String, String)] = []
            let steps = Int.random(in: 0...(round % 4 == 0 ? 90 : 40), using: &generator)
            for step in 0..<steps {
                let name = step % 5 == 0 ? "extra_\(Int.random(in: 0...60, using: &generator))" : pool.randomElement(using: &generator)!
                if Int.random(in: 0..<6, using: &generator) == 0 {
                    parameters[name] = nil
                    reference.removeAll { $0.0 == name }
                } else {
                    parameters[name] = "\(step)"
                    if let position = reference.firstIndex(where: { $0.0 == name }) { reference[position].1 = "\(step)" } else { reference.append((name, "\(step)")) }
                }
                let parameter = TrackerParameter.allCases.randomElement(using: &generator)!
                #expect(parameters[parameter] == reference.first { $0.0 == parameter.rawValue }?.1, "\(parameter) after \(step)")
            }
            for parameter in TrackerParameter.allCases {
                let expected = reference.first { $0.0 == parameter.rawValue }?.1
                #expect(parameters[parameter] == expected, "\(parameter)")
                #expect(parameters[parameter.rawValue] == expected, "\(parameter)")
                #expect(parameters.contains(parameter.rawValue) == (expected != nil), "\(parameter)")
            }
            #expect(parameters.names == reference.map(\.0))
        }
    }
}
