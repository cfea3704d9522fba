/// The substrings that every match of a regular expression must contain, found by reading the pattern.
///
/// uap-core has over a thousand rules and a user agent matches at most three of them, so most regexes run
/// only to fail. Reading each pattern once at load time tells which literal text a match needs (for
/// `(Firefox)/(\d+)` the text `Firefox/`); a parse then runs a regex only when its literals occur in the
/// user agent. The requirement is a conjunction of clauses, each satisfied when any one of its literals
/// occurs. It is conservative: a construct the analysis does not understand contributes no requirement, and a
/// pattern it cannot read at all gets none (the regex then always runs), so a filter never hides a match.
///
/// For case-insensitive patterns literals are ASCII-lowercased and must be looked for in the ASCII-lowercased
/// subject; a non-ASCII literal character under case folding contributes nothing.
struct RequiredLiterals: Sendable, Equatable {
    /// Every clause must hold; a clause holds when at least one of its literals (UTF-8 bytes) occurs.
    /// Empty when nothing is required.
    var clauses: [[[UInt8]]]

    /// At most this many clauses are kept, the most selective first.
    static let maximumClauses = 6
    /// Clauses whose shortest literal is shorter than this are dropped (almost every user agent has them).
    static let minimumLiteralLength = 3

    /// Reads `pattern` (PCRE syntax as used by uap-core) and returns what any match must contain.
    init(pattern: String, caseInsensitive: Bool) {
        var analyser = PatternAnalyser(scalars: Array(pattern.unicodeScalars), folding: caseInsensitive)
        guard let info = try? analyser.pattern() else {
            clauses = []
            return
        }
        let all = info.clauses + [info.exact.flatMap(PatternInfo.clause)].compactMap { $0 }
        clauses = all.filter { PatternInfo.shortest($0) >= Self.minimumLiteralLength }
            .sorted { PatternInfo.isMoreSelective($0, than: $1) }
            .prefix(Self.maximumClauses)
            .map { $0.sorted { $0.lexicographicallyPrecedes($1) } }
    }
}

/// What the analysis knows about a sub-pattern.
private struct PatternInfo {
    /// The complete set of strings the sub-pattern can match, when small and known; `nil` otherwise.
    var exact: Set<[UInt8]>?
    /// Clauses every match of the sub-pattern satisfies.
    var clauses: [Set<[UInt8]>]

    static let unknown = PatternInfo(exact: nil, clauses: [])
    static let empty = PatternInfo(exact: [[]], clauses: [])
    /// Bound on the size of exact sets built by concatenation and alternation.
    static let maximumExactStrings = 16

    /// A set of exact strings as a clause; `nil` when one of them is empty (then nothing is required).
    static func clause(_ exact: Set<[UInt8]>) -> Set<[UInt8]>? {
        exact.isEmpty || exact.contains([]) ? nil : exact
    }

    static func shortest(_ clause: Set<[UInt8]>) -> Int { clause.map(\.count).min() ?? 0 }

    static func isMoreSelective(_ a: Set<[UInt8]>, than b: Set<[UInt8]>) -> Bool {
        let (la, lb) = (shortest(a), shortest(b))
        return la != lb ? la > lb : a.count < b.count
    }

    /// The single most selective clause implied by this info, if any.
    var bestClause: Set<[UInt8]>? {
        let candidates = clauses + [exact.flatMap(Self.clause)].compactMap { $0 }
        return candidates.min { Self.isMoreSelective($0, than: $1) }
    }
}

/// A recursive-descent reader of the PCRE subset uap-core uses: literals, escapes, classes, groups
/// (capturing and `(?:`), alternation, greedy/lazy/possessive quantifiers and anchors. Anything else
/// (look-around, back-references, `\p{…}`, nested classes) throws, which disables the filter for the pattern.
private struct PatternAnalyser {
    struct Unsupported: Error {}

    let scalars: [Unicode.Scalar]
    let folding: Bool
    var position = 0

    init(scalars: [Unicode.Scalar], folding: Bool) {
        self.scalars = scalars
        self.folding = folding
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    mutating func pattern() throws -> PatternInfo {
        let info = try alternation()
        guard position == scalars.count else { throw Unsupported() }
        return info
    }

    private mutating func alternation() throws -> PatternInfo {
        var branches = [try sequence()]
        while current == "|" {
            position += 1
            branches.append(try sequence())
        }
        if branches.count == 1 { return branches[0] }
        if branches.allSatisfy({ $0.exact != nil }) {
            let union = branches.reduce(into: Set<[UInt8]>()) { $0.formUnion($1.exact ?? []) }
            if union.count <= PatternInfo.maximumExactStrings { return PatternInfo(exact: union, clauses: []) }
        }
        // (A1 ∧ A2) ∨ (B1 ∧ B2) = (A1 ∨ B1) ∧ (A1 ∨ B2) ∧ (A2 ∨ B1) ∧ (A2 ∨ B2): distribute while small.
        var combined: [Set<[UInt8]>] = [[]]
        for branch in branches {
            let options = (branch.clauses + [branch.exact.flatMap(PatternInfo.clause)].compactMap { $0 })
                .sorted { PatternInfo.isMoreSelective($0, than: $1) }
            guard !options.isEmpty else { return .unknown }
            let kept = combined.count * options.count <= 16 ? options : [options[0]]
            combined = combined.flatMap { clause in kept.map { clause.union($0) } }
            if combined.count > 16 {
                combined = Array(combined.sorted { PatternInfo.isMoreSelective($0, than: $1) }.prefix(16))
            }
        }
        return PatternInfo(exact: nil, clauses: combined)
    }

    private mutating func sequence() throws -> PatternInfo {
        var clauses: [Set<[UInt8]>] = []
        var run: Set<[UInt8]> = [[]]
        var runIsWhole = true
        while let scalar = current, scalar != "|", scalar != ")" {
            let item = try quantified(try atom())
            clauses += item.clauses
            if let exact = item.exact, run.count * exact.count <= PatternInfo.maximumExactStrings {
                run = Set(run.flatMap { prefix in exact.map { prefix + $0 } })
            } else {
                if let clause = PatternInfo.clause(run) { clauses.append(clause) }
                run = item.exact ?? [[]]
                runIsWhole = false
            }
        }
        if runIsWhole { return PatternInfo(exact: run, clauses: clauses) }
        if let clause = PatternInfo.clause(run) { clauses.append(clause) }
        return PatternInfo(exact: nil, clauses: clauses)
    }

    private mutating func atom() throws -> PatternInfo {
        guard let scalar = current else { throw Unsupported() }
        position += 1
        switch scalar {
        case "(":
            if current == "?" {
                guard position + 1 < scalars.count, scalars[position + 1] == ":" else { throw Unsupported() }
                position += 2
            }
            let inner = try alternation()
            guard current == ")" else { throw Unsupported() }
            position += 1
            return inner
        case "[": return try characterClass()
        case ".": return .unknown
        case "^", "$": return .empty
        case "\\": return try escape()
        case "*", "+", "?", "{", "}", "]", ")": throw Unsupported()
        default: return literal(scalar)
        }
    }

    private mutating func quantified(_ atom: PatternInfo) throws -> PatternInfo {
        var minimum = 1
        var maximum: Int? = 1
        switch current {
        case "*": (minimum, maximum) = (0, nil); position += 1
        case "+": (minimum, maximum) = (1, nil); position += 1
        case "?": (minimum, maximum) = (0, 1); position += 1
        case "{":
            position += 1
            minimum = try number()
            maximum = minimum
            if current == "," {
                position += 1
                maximum = current == "}" ? nil : try number()
            }
            guard current == "}" else { throw Unsupported() }
            position += 1
        default:
            return atom
        }
        if current == "?" || current == "+" { position += 1 }
        if minimum == 0 {
            if maximum == 1, let exact = atom.exact { return PatternInfo(exact: exact.union([[]]), clauses: []) }
            return .unknown
        }
        if minimum == 1, maximum == 1 { return atom }
        return PatternInfo(
            exact: nil, clauses: atom.clauses + [atom.exact.flatMap(PatternInfo.clause)].compactMap { $0 })
    }

    private mutating func number() throws -> Int {
        var value = 0
        var digits = 0
        while let scalar = current, ("0"..."9").contains(scalar) {
            value = value * 10 + Int(scalar.value - 48)
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw Unsupported() }
        return value
    }

    private mutating func escape() throws -> PatternInfo {
        guard let scalar = current else { throw Unsupported() }
        position += 1
        switch scalar {
        case "d", "D", "w", "W", "s", "S": return .unknown
        case "b", "B", "A", "Z", "z", "G": return .empty
        case "t": return literal("\t")
        case "n": return literal("\n")
        case "r": return literal("\r")
        default:
            guard scalar.isASCII, !scalar.properties.isAlphabetic, !(48...57).contains(scalar.value) else {
                throw Unsupported()
            }
            return literal(scalar)
        }
    }

    private mutating func characterClass() throws -> PatternInfo {
        var negated = false
        if current == "^" {
            negated = true
            position += 1
        }
        var members = Set<Unicode.Scalar>()
        var large = false
        var first = true
        while true {
            guard let scalar = current else { throw Unsupported() }
            if scalar == "]" {
                if first { throw Unsupported() }  // a leading `]` is read differently by PCRE and ICU
                position += 1
                break
            }
            first = false
            if scalar == "[" { throw Unsupported() }  // ICU nested sets, POSIX classes
            if scalar == "&" || scalar == "-", position + 1 < scalars.count, scalars[position + 1] == scalar {
                throw Unsupported()  // ICU set operators `&&`, `--`
            }
            guard let lower = try classMember() else {
                large = true
                continue
            }
            if current == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                guard let upper = try classMember(), upper.value >= lower.value else { throw Unsupported() }
                if upper.value - lower.value >= 8 {
                    large = true
                } else {
                    for value in lower.value...upper.value { if let s = Unicode.Scalar(value) { members.insert(s) } }
                }
            } else {
                members.insert(lower)
            }
        }
        if negated || large { return .unknown }
        var exact = Set<[UInt8]>()
        for member in members {
            guard let bytes = literalBytes(member) else { return .unknown }
            exact.insert(bytes)
        }
        return exact.count <= 8 ? PatternInfo(exact: exact, clauses: []) : .unknown
    }

    /// One class member: a scalar, or `nil` for a shorthand class such as `\d`.
    private mutating func classMember() throws -> Unicode.Scalar? {
        guard let scalar = current else { throw Unsupported() }
        position += 1
        guard scalar == "\\" else { return scalar }
        guard let escaped = current else { throw Unsupported() }
        position += 1
        switch escaped {
        case "d", "D", "w", "W", "s", "S": return nil
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        default:
            guard escaped.isASCII, !escaped.properties.isAlphabetic, !(48...57).contains(escaped.value) else {
                throw Unsupported()
            }
            return escaped
        }
    }

    private func literal(_ scalar: Unicode.Scalar) -> PatternInfo {
        guard let bytes = literalBytes(scalar) else { return .unknown }
        return PatternInfo(exact: [bytes], clauses: [])
    }

    /// The bytes to look for: UTF-8, ASCII-lowercased when folding; `nil` for non-ASCII under folding.
    private func literalBytes(_ scalar: Unicode.Scalar) -> [UInt8]? {
        if folding {
            guard scalar.isASCII else { return nil }
            let byte = UInt8(scalar.value)
            return [(65...90).contains(byte) ? byte + 32 : byte]
        }
        return Array(String(Character(scalar)).utf8)
    }
}
