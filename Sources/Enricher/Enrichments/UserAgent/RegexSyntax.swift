/// The parsed form of a uap-core regular expression, read by ``RegexSyntax/parse(_:caseInsensitive:)``.
///
/// Covers the PCRE subset uap-core uses: literals and escaped punctuation, `.`, classes with ranges and
/// `\d \w \s \D \W \S`, capturing groups and `(?:…)`, alternation, greedy and lazy `* + ? {n} {n,} {n,m}`,
/// `^`, `$`, `\b`, `\B`. Anything else (look-around, back-references, possessive quantifiers, `\p{…}`,
/// nested classes) is reported as ``RegexSyntax/Unsupported`` so the caller can fall back to another engine.
/// Case-insensitive patterns fold ASCII letters only; a non-ASCII letter in such a pattern is unsupported.
indirect enum RegexNode: Sendable, Equatable {
    /// One byte of a literal (ASCII, or one byte of a literal character's UTF-8 form).
    case byte(UInt8)
    /// An ASCII letter matched without regard to case (stored lowercased).
    case foldedByte(UInt8)
    /// One character from a class.
    case characterClass(RegexCharacterClass)
    /// `.`: one character other than `\n`.
    case anyExceptNewline
    case startAnchor
    case endAnchor
    /// `\b` (`true`) or `\B` (`false`).
    case wordBoundary(Bool)
    /// A group; `capture` is its 1-based number, `nil` for `(?:…)`.
    case group(RegexNode, capture: Int?)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `maximum == nil` means unbounded.
    case repetition(RegexNode, minimum: Int, maximum: Int?, greedy: Bool)
}

/// A character class: which characters one position may hold.
struct RegexCharacterClass: Sendable, Equatable {
    /// Membership of the 128 ASCII characters, negation already applied.
    var ascii: (UInt64, UInt64) = (0, 0)
    /// Non-ASCII members given explicitly (before negation).
    var ranges: [ClosedRange<UInt32>] = []
    /// Shorthand classes inside the brackets, for their non-ASCII members (before negation).
    var digits = false, words = false, spaces = false
    var nonDigits = false, nonWords = false, nonSpaces = false
    /// `[^…]`: applies to the non-ASCII part at match time (the ASCII part is already negated).
    var negated = false

    static func == (a: Self, b: Self) -> Bool {
        a.ascii == b.ascii && a.ranges == b.ranges && a.digits == b.digits && a.words == b.words
            && a.spaces == b.spaces && a.nonDigits == b.nonDigits && a.nonWords == b.nonWords
            && a.nonSpaces == b.nonSpaces && a.negated == b.negated
    }

    mutating func insertASCII(_ byte: UInt8) {
        if byte < 64 { ascii.0 |= 1 << UInt64(byte) } else { ascii.1 |= 1 << UInt64(byte - 64) }
    }

    func containsASCII(_ byte: UInt8) -> Bool {
        byte < 64 ? ascii.0 & (1 << UInt64(byte)) != 0 : ascii.1 & (1 << UInt64(byte - 64)) != 0
    }

    /// Whether the class matches the non-ASCII scalar `value`.
    func containsNonASCII(_ value: UInt32) -> Bool {
        var member = ranges.contains { $0.contains(value) }
        if !member, digits || words || spaces || nonDigits || nonWords || nonSpaces {
            let digit = RegexCharacterClass.isDigit(value)
            let word = RegexCharacterClass.isWord(value)
            let space = RegexCharacterClass.isSpace(value)
            member =
                (digits && digit) || (words && word) || (spaces && space) || (nonDigits && !digit)
                || (nonWords && !word) || (nonSpaces && !space)
        }
        return member != negated
    }

    /// Python's `\d` for text: Unicode decimal digits.
    static func isDigit(_ value: UInt32) -> Bool {
        if value < 128 { return (48...57).contains(value) }
        return Unicode.Scalar(value)?.properties.numericType == .decimal
    }

    /// Python's `\w` for text: letters, numbers and `_`.
    static func isWord(_ value: UInt32) -> Bool {
        if value < 128 {
            return (48...57).contains(value) || (65...90).contains(value) || (97...122).contains(value) || value == 95
        }
        guard let properties = Unicode.Scalar(value)?.properties else { return false }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return properties.numericType != nil
        }
    }

    /// Python's `\s` for text: ASCII white space and separators, and Unicode white space.
    static func isSpace(_ value: UInt32) -> Bool {
        if value < 128 { return (9...13).contains(value) || (28...32).contains(value) }
        return Unicode.Scalar(value)?.properties.isWhitespace ?? false
    }
}

/// Reads a pattern into a ``RegexNode`` tree.
struct RegexSyntax {
    /// The pattern uses syntax outside the supported subset (or is malformed).
    struct Unsupported: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    private let scalars: [Unicode.Scalar]
    private let folding: Bool
    private var position = 0
    private(set) var captureCount = 0

    /// Parses `pattern`; returns the tree and the number of capturing groups.
    static func parse(_ pattern: String, caseInsensitive: Bool) throws -> (RegexNode, captures: Int) {
        var syntax = RegexSyntax(scalars: Array(pattern.unicodeScalars), folding: caseInsensitive)
        let node = try syntax.alternation()
        guard syntax.position == syntax.scalars.count else { throw Unsupported(reason: "unbalanced `)`") }
        return (node, syntax.captureCount)
    }

    private init(scalars: [Unicode.Scalar], folding: Bool) {
        self.scalars = scalars
        self.folding = folding
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func alternation() throws -> RegexNode {
        var branches = [try sequence()]
        while current == "|" {
            position += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws -> RegexNode {
        var items: [RegexNode] = []
        while let scalar = current, scalar != "|", scalar != ")" {
            let atom = try self.atom()
            items.append(try quantified(atom))
        }
        return items.count == 1 ? items[0] : .concatenation(items)
    }

    private mutating func atom() throws -> RegexNode {
        guard let scalar = current else { throw Unsupported(reason: "unexpected end") }
        position += 1
        switch scalar {
        case "(":
            var capture: Int?
            if current == "?" {
                guard position + 1 < scalars.count, scalars[position + 1] == ":" else {
                    throw Unsupported(reason: "group construct `(?` other than `(?:`")
                }
                position += 2
            } else {
                captureCount += 1
                capture = captureCount
            }
            let inner = try alternation()
            guard current == ")" else { throw Unsupported(reason: "missing `)`") }
            position += 1
            return .group(inner, capture: capture)
        case "[": return .characterClass(try characterClass())
        case ".": return .anyExceptNewline
        case "^": return .startAnchor
        case "$": return .endAnchor
        case "\\": return try escape()
        case "*", "+", "?", "{", "}", "]", ")": throw Unsupported(reason: "unexpected `\(scalar)`")
        default: return try literal(scalar)
        }
    }

    private mutating func quantified(_ atom: RegexNode) throws -> RegexNode {
        var minimum: Int
        var maximum: Int?
        switch current {
        case "*": (minimum, maximum) = (0, nil)
        case "+": (minimum, maximum) = (1, nil)
        case "?": (minimum, maximum) = (0, 1)
        case "{":
            position += 1
            minimum = try number()
            maximum = minimum
            if current == "," {
                position += 1
                maximum = current == "}" ? nil : try number()
            }
            guard current == "}" else { throw Unsupported(reason: "malformed `{n,m}`") }
            if let maximum, maximum < minimum { throw Unsupported(reason: "`{n,m}` with m < n") }
        default:
            return atom
        }
        position += 1
        var greedy = true
        if current == "?" {
            greedy = false
            position += 1
        } else if current == "+" {
            throw Unsupported(reason: "possessive quantifier")
        }
        switch atom {
        case .startAnchor, .endAnchor, .wordBoundary: throw Unsupported(reason: "quantified assertion")
        default: break
        }
        if minimum > 1000 || (maximum ?? 0) > 1000 { throw Unsupported(reason: "repetition bound above 1000") }
        return .repetition(atom, minimum: minimum, maximum: maximum, greedy: greedy)
    }

    private mutating func number() throws -> Int {
        var value = 0
        var digits = 0
        while let scalar = current, ("0"..."9").contains(scalar), digits < 6 {
            value = value * 10 + Int(scalar.value - 48)
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw Unsupported(reason: "malformed `{n,m}`") }
        return value
    }

    private mutating func escape() throws -> RegexNode {
        guard let scalar = current else { throw Unsupported(reason: "trailing backslash") }
        position += 1
        var shorthand = RegexCharacterClass()
        switch scalar {
        case "b": return .wordBoundary(true)
        case "B": return .wordBoundary(false)
        case "d", "D", "w", "W", "s", "S":
            addShorthand(scalar, to: &shorthand)
            return .characterClass(shorthand)
        case "t": return .byte(9)
        case "n": return .byte(10)
        case "r": return .byte(13)
        case "f": return .byte(12)
        case "v": return .byte(11)
        default:
            guard scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else {
                throw Unsupported(reason: "escape `\\\(scalar)`")
            }
            return try literal(scalar)
        }
    }

    private func addShorthand(_ letter: Unicode.Scalar, to set: inout RegexCharacterClass) {
        let test: (UInt32) -> Bool
        switch letter {
        case "d", "D": test = RegexCharacterClass.isDigit
        case "w", "W": test = RegexCharacterClass.isWord
        default: test = RegexCharacterClass.isSpace
        }
        let positive = letter.properties.isLowercase
        for byte in UInt8(0)..<128 where test(UInt32(byte)) == positive { set.insertASCII(byte) }
        switch letter {
        case "d": set.digits = true
        case "D": set.nonDigits = true
        case "w": set.words = true
        case "W": set.nonWords = true
        case "s": set.spaces = true
        default: set.nonSpaces = true
        }
    }

    private func literal(_ scalar: Unicode.Scalar) throws -> RegexNode {
        if scalar.isASCII {
            let byte = UInt8(scalar.value)
            if folding, scalar.properties.isAlphabetic { return .foldedByte(byte | 0x20) }
            return .byte(byte)
        }
        if folding, scalar.properties.changesWhenCaseMapped {
            throw Unsupported(reason: "non-ASCII letter in a case-insensitive pattern")
        }
        let bytes = Array(String(Character(scalar)).utf8)
        return .group(.concatenation(bytes.map(RegexNode.byte)), capture: nil)
    }

    private mutating func characterClass() throws -> RegexCharacterClass {
        var set = RegexCharacterClass()
        if current == "^" {
            set.negated = true
            position += 1
        }
        var first = true
        while true {
            guard let scalar = current else { throw Unsupported(reason: "unterminated class") }
            if scalar == "]", !first {
                position += 1
                break
            }
            if scalar == "]" { throw Unsupported(reason: "`]` first in a class") }
            if scalar == "[" { throw Unsupported(reason: "`[` inside a class") }
            first = false
            guard let lower = try classMember(&set) else { continue }
            if current == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                guard let upper = try classMember(&set), upper.value >= lower.value else {
                    throw Unsupported(reason: "bad class range")
                }
                try insert(lower.value...upper.value, into: &set)
            } else {
                try insert(lower.value...lower.value, into: &set)
            }
        }
        if set.negated {
            set.ascii = (~set.ascii.0, ~set.ascii.1)
        }
        return set
    }

    private func insert(_ range: ClosedRange<UInt32>, into set: inout RegexCharacterClass) throws {
        if range.lowerBound < 128 {
            for value in range.lowerBound...min(range.upperBound, 127) {
                let byte = UInt8(value)
                set.insertASCII(byte)
                if folding, (65...90).contains(byte) || (97...122).contains(byte) { set.insertASCII(byte ^ 0x20) }
            }
        }
        if range.upperBound >= 128 {
            if folding { throw Unsupported(reason: "non-ASCII range in a case-insensitive class") }
            set.ranges.append(max(range.lowerBound, 128)...range.upperBound)
        }
    }

    /// One member: a scalar, or `nil` after adding a shorthand class such as `\d`.
    private mutating func classMember(_ set: inout RegexCharacterClass) throws -> Unicode.Scalar? {
        guard let scalar = current else { throw Unsupported(reason: "unterminated class") }
        position += 1
        guard scalar == "\\" else { return scalar }
        guard let escaped = current else { throw Unsupported(reason: "unterminated class") }
        position += 1
        switch escaped {
        case "d", "D", "w", "W", "s", "S":
            addShorthand(escaped, to: &set)
            return nil
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "f": return "\u{0C}"
        case "v": return "\u{0B}"
        default:
            guard escaped.isASCII, !escaped.properties.isAlphabetic, !("0"..."9").contains(escaped) else {
                throw Unsupported(reason: "escape `\\\(escaped)` in a class")
            }
            return escaped
        }
    }
}
