import Shared
import Synchronization

/// Decides whether an event comes from a bot, from the signals configured in ``BotDetectionConfiguration``:
/// uap-core's spider classification, user-agent patterns, the client's ASN and the tracker's own verdict.
///
/// Build one at start-up and share it: ``detect(useragent:parsed:asn:clientSideBot:)`` is a pure function,
/// safe from any number of threads. Substring patterns cost one pass over the user agent in total; each
/// regex pattern costs one regex run.
public struct BotDetector: Sendable {
    private struct PatternSet: Sendable {
        let patterns: [BotUserAgentPattern]
        /// Substring patterns, lowercased, with their index in `patterns`.
        let substrings: LiteralSearch
        let substringPatternIndex: [Int]
        let regexes: [(index: Int, regex: BacktrackingRegex)]

        init(_ patterns: [BotUserAgentPattern], list: String) throws {
            var literals: [[UInt8]] = []
            var literalIndex: [Int] = []
            var regexes: [(Int, BacktrackingRegex)] = []
            for (index, pattern) in patterns.enumerated() {
                switch pattern {
                case .substring(let text):
                    guard !text.isEmpty else {
                        throw FreshetError(.botDetectionPatternInvalid, "\(list)[\(index)] is an empty substring")
                    }
                    literals.append(text.utf8.map { $0 &- 65 < 26 ? $0 | 0x20 : $0 })
                    literalIndex.append(index)
                case .regex(let source, let caseInsensitive):
                    do {
                        regexes.append(
                            (index, try BacktrackingRegex(pattern: source, caseInsensitive: caseInsensitive)))
                    } catch {
                        throw FreshetError(
                            .botDetectionPatternInvalid,
                            "\(list)[\(index)]: the regex '\(source)' is not usable: \(error)",
                            underlying: error)
                    }
                }
            }
            self.patterns = patterns
            self.substrings = LiteralSearch(literals: literals)
            self.substringPatternIndex = literalIndex
            self.regexes = regexes
        }

        /// The first pattern (in configuration order) that matches `bytes`.
        func firstMatch(_ bytes: UnsafeBufferPointer<UInt8>) -> BotUserAgentPattern? {
            var best: Int?
            var hits = LiteralHits(capacity: substrings.count)
            substrings.scan(bytes, lowercasing: true, into: &hits)
            for id in 0..<substrings.count where hits.contains(id) {
                best = min(best ?? .max, substringPatternIndex[id])
            }
            let scratch = BacktrackingRegex.Scratch()
            for (index, regex) in regexes where index < best ?? .max {
                if regex.firstMatch(in: bytes, scratch: scratch) {
                    best = index
                    break
                }
            }
            return best.map { patterns[$0] }
        }
    }

    /// The configuration it was built with.
    public let configuration: BotDetectionConfiguration
    private let include: PatternSet
    private let exclude: PatternSet
    /// The pattern verdict per user agent (bounded; see ``PatternMemo``).
    private let memo = PatternMemo()

    /// The include pattern that matched each recently seen user agent (`nil`: none, or excluded) —
    /// a pure function of the user agent, and user agents repeat across a visitor's events. At most
    /// ``limit`` entries; when full it is emptied. Guarded by a `Mutex`: safe from any thread.
    private final class PatternMemo: Sendable {
        static let limit = 4096
        private let entries = Mutex<[String: BotUserAgentPattern?]>([:])

        func value(_ useragent: String) -> BotUserAgentPattern?? {
            entries.withLock { $0[useragent] }
        }

        func store(_ pattern: BotUserAgentPattern?, for useragent: String) {
            entries.withLock { entries in
                if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
                entries[useragent] = .some(pattern)
            }
        }
    }

    /// Prepares the pattern lists.
    /// - Throws: `FreshetError` `.botDetectionPatternInvalid` for an empty substring or an unusable regex.
    public init(configuration: BotDetectionConfiguration) throws {
        self.configuration = configuration
        include = try PatternSet(configuration.includeUseragents, list: "includeUseragents")
        exclude = try PatternSet(configuration.excludeUseragents, list: "excludeUseragents")
    }

    /// The verdict for one event.
    /// - Parameters:
    ///   - useragent: the event's `useragent` field.
    ///   - parsed: the uap-core parse of it (from ``UserAgentEnrichment``), if that enrichment ran.
    ///   - asn: the client's autonomous-system number (from the IP-lookups enrichment), if known.
    ///   - clientSideBot: the `bot` field of the tracker's `client_side_bot_detection` entity, if sent.
    public func detect(
        useragent: String?, parsed: ParsedUserAgent?, asn: Int? = nil, clientSideBot: Bool? = nil
    ) -> BotDetectionResult {
        var indicators: [BotIndicator] = []
        if configuration.useUserAgentParser, parsed?.device.family == "Spider" {
            indicators.append(.userAgentParserSpider)
        }
        var matched: BotUserAgentPattern?
        if configuration.useUserAgentPatterns, let useragent, !useragent.isEmpty {
            // Only ASCII user agents are memoised: `String` keys compare by canonical equivalence,
            // the patterns by bytes, and for ASCII the two agree.
            let memoisable = ASCII.isASCII(useragent)
            if memoisable, let known = memo.value(useragent) {
                matched = known
            } else {
                var text = useragent
                matched = text.withUTF8 { buffer in
                    guard let pattern = include.firstMatch(buffer), exclude.firstMatch(buffer) == nil else { return nil }
                    return pattern
                }
                if memoisable { memo.store(matched, for: useragent) }
            }
            if matched != nil { indicators.append(.userAgentPattern) }
        }
        if configuration.useAsnLookups, let asn, configuration.botAsns.contains(asn) {
            indicators.append(.botAutonomousSystem)
        }
        if configuration.useClientSideDetection, clientSideBot == true {
            indicators.append(.clientSide)
        }
        return BotDetectionResult(indicators: indicators, matchedPattern: matched)
    }
}
