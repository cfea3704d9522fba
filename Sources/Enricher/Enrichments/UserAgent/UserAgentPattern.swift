import Foundation
import Shared

/// Which regular-expression engine a ``UserAgentParser`` runs.
public enum UserAgentRegexEngine: Sendable, Equatable {
    /// Freshet's byte-level backtracking matcher (``BacktrackingRegex``), with `NSRegularExpression` only for a
    /// pattern it cannot read. On Linux a whole parse takes about half the time it takes with ICU. The default.
    case backtracking
    /// Foundation's `NSRegularExpression` (ICU) for every pattern; for comparison and as a fallback.
    case foundation
}

/// One uap-core regex, compiled, with the literal requirement that lets a parse skip it cheaply.
///
/// `@unchecked Sendable`: `NSRegularExpression` is immutable and documented as safe to use from many
/// threads at once; everything else here is an immutable value.
struct UserAgentPattern: @unchecked Sendable {
    private enum Compiled {
        case backtracking(BacktrackingRegex)
        case foundation(NSRegularExpression)
    }

    private let compiled: Compiled
    let caseInsensitive: Bool
    /// Ids (in the parser's ``LiteralSearch``) of the literals any match needs: every clause must have a hit
    /// (checked by ``UserAgentRuleList`` before ``match(_:)`` is called).
    let clauses: [[Int]]

    /// Whether the pattern runs on `NSRegularExpression`.
    var usesFoundation: Bool {
        if case .foundation = compiled { return true }
        return false
    }

    /// Compiles `pattern`; `location` names the rule in error messages.
    init(
        pattern: String, caseInsensitive: Bool, clauses: [[Int]], engine: UserAgentRegexEngine, location: String
    ) throws {
        self.caseInsensitive = caseInsensitive
        self.clauses = clauses
        if engine == .backtracking,
            let regex = try? BacktrackingRegex(pattern: pattern, caseInsensitive: caseInsensitive)
        {
            compiled = .backtracking(regex)
            return
        }
        do {
            let options: NSRegularExpression.Options = caseInsensitive ? [.caseInsensitive] : []
            compiled = .foundation(try NSRegularExpression(pattern: pattern, options: options))
        } catch {
            throw FreshetError(
                .userAgentRegexInvalid, "\(location): the regex '\(pattern)' does not compile: \(error)",
                underlying: error)
        }
    }

    /// The first match in `subject`, or `nil` when the regex does not match.
    func match(_ subject: UserAgentSubject) -> UserAgentMatch? {
        switch compiled {
        case .backtracking(let regex):
            let found = subject.bytes.withUnsafeBufferPointer { regex.firstMatch(in: $0, scratch: subject.scratch) }
            guard found else { return nil }
            let groups = (0...min(regex.captureCount, 9)).map { regex.group($0, scratch: subject.scratch) }
            return UserAgentMatch(subject: subject, byteRanges: groups, result: nil)
        case .foundation(let regex):
            let range = NSRange(location: 0, length: subject.utf16Count)
            guard let result = regex.firstMatch(in: subject.text, options: [], range: range) else { return nil }
            return UserAgentMatch(subject: subject, byteRanges: [], result: result)
        }
    }
}

/// A user-agent string prepared for matching against many patterns: its text, its UTF-8 bytes, which rule
/// literals occur in it (bit sets by literal id), and the matcher's working memory. Lives for one parse, on
/// one thread (a class so that handing it to each rule copies nothing).
final class UserAgentSubject {
    let text: String
    let bytes: [UInt8]
    let utf16Count: Int
    let isASCII: Bool
    /// Literal hits for case-sensitive rules (searched in the text as is).
    let exactHits: [UInt64]
    /// Literal hits for case-insensitive rules (searched in the ASCII-lowercased text).
    let foldedHits: [UInt64]
    let scratch = BacktrackingRegex.Scratch()

    init(_ text: String, exact: LiteralSearch, folded: LiteralSearch) {
        let bytes = Array(text.utf8)
        var exactHits = LiteralHits(capacity: exact.count)
        var foldedHits = LiteralHits(capacity: folded.count)
        bytes.withUnsafeBufferPointer { buffer in
            exact.scan(buffer, lowercasing: false, into: &exactHits)
            folded.scan(buffer, lowercasing: true, into: &foldedHits)
        }
        let isASCII = !bytes.contains { $0 >= 0x80 }
        self.text = text
        self.bytes = bytes
        self.utf16Count = isASCII ? bytes.count : text.utf16.count
        self.isASCII = isASCII
        self.exactHits = exactHits.words
        self.foldedHits = foldedHits.words
    }
}

/// The capture groups of one match, from either engine.
struct UserAgentMatch {
    let subject: UserAgentSubject
    /// Backtracking engine: byte ranges of groups 0…9 (`nil` for a group that did not take part).
    let byteRanges: [Range<Int>?]
    /// Foundation engine: the match.
    let result: NSTextCheckingResult?

    /// Capture group `index` (1-based), or `nil` when it does not exist or did not take part in the match.
    func group(_ index: Int) -> Substring? {
        let text = subject.text
        if let result {
            guard index < result.numberOfRanges else { return nil }
            let range = result.range(at: index)
            guard range.location != NSNotFound, let bounds = Range(range, in: text) else { return nil }
            return text[bounds]
        }
        guard index < byteRanges.count, let range = byteRanges[index] else { return nil }
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let upper = utf8.index(lower, offsetBy: range.count)
        return text[lower..<upper]
    }
}
