import Shared
import Testing

@testable import Enricher

/// The fingerprint's parameter order (``EventFingerprintEnrichment/sortedByName(_:)``) is UTF-16 code
/// unit order, as enrich's Java sort, whatever the names.
@Suite("Event fingerprint parameter order")
struct EventFingerprintOrderTests {
    static func utf16Order(_ elements: [TrackerParameters.Element]) -> [String] {
        elements.sorted { $0.name.utf16.lexicographicallyPrecedes($1.name.utf16) }.map(\.name)
    }

    @Test("tracker parameter names, prefixes and long names sort in UTF-16 order")
    func asciiNames() {
        let names = [
            "url", "e", "tv", "ue_px", "ue_pr", "u", "ur", "url2", "refr", "co", "cx", "p", "aid", "eid", "stm", "dtm",
            "a_very_long_parameter_name_1", "a_very_long_parameter_name_0", "a_very_long_parameter_name", "A", "Z", "_", "0",
            "abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmno",
        ]
        let elements = names.map { (name: $0, value: "v-\($0)") }
        #expect(EventFingerprintEnrichment.sortedByName(elements).map(\.name) == Self.utf16Order(elements))
    }

    @Test("random names with NUL, non-ASCII, private-use and supplementary characters sort in UTF-16 order")
    func randomNames() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "b", "z", "_", "\u{0}", "é", "ß", "\u{7FF}", "\u{E000}", "\u{FFFD}", "\u{1F600}", "\u{10000}"]
        for round in 0..<500 {
            // Half the rounds ASCII letters only (the integer path), half from the whole alphabet.
            let letters = round % 2 == 0 ? Array(alphabet.prefix(4)) : alphabet
            var seen = Set<String>()
            var elements: [TrackerParameters.Element] = []
            for _ in 0..<Int.random(in: 0...30, using: &generator) {
                let name = String((0..<Int.random(in: 1...20, using: &generator)).map { _ in letters.randomElement(using: &generator)! })
                if seen.insert(name).inserted { elements.append((name, "")) }
            }
            #expect(EventFingerprintEnrichment.sortedByName(elements).map(\.name) == Self.utf16Order(elements), "\(elements.map(\.name))")
        }
    }

    @Test("short names (the one-integer path), empty and repeated ones, sort in UTF-16 order and stably")
    func shortNames() {
        var generator = SystemRandomNumberGenerator()
        let letters: [Character] = ["a", "b", "z", "_", "A", "0", "~"]
        for round in 0..<500 {
            // Up to 300 elements: below 256 the one-integer path, from 256 the two-integer path.
            let total = round % 10 == 0 ? Int.random(in: 250...300, using: &generator) : Int.random(in: 0...40, using: &generator)
            let elements: [TrackerParameters.Element] = (0..<total).map { position in
                let name = String((0..<Int.random(in: 0...7, using: &generator)).map { _ in letters.randomElement(using: &generator)! })
                return (name, "\(position)")
            }
            let expected = elements.indices.sorted {
                elements[$0].name.utf16.lexicographicallyPrecedes(elements[$1].name.utf16)
                    || (elements[$0].name == elements[$1].name && $0 < $1)
            }
            #expect(EventFingerprintEnrichment.sortedPositions(elements) == expected, "\(elements.map(\.name))")
        }
    }
}
