/// One ordered uap-core list (browsers, operating systems or devices), compiled: the patterns, their
/// replacement templates and, in flat integer tables, the literal filter that decides which patterns run.
///
/// The filter tables are plain arrays of integers so that rejecting a rule (the fate of almost every rule
/// for any user agent) touches no reference-counted storage. Immutable and `Sendable`.
struct UserAgentRuleList: Sendable {
    let patterns: [UserAgentPattern]
    let templates: [[ReplacementTemplate?]]
    /// Per rule: 1 when its literals are looked up in the case-folded hits.
    private let folded: [UInt8]
    /// Per rule `r`: its clauses are `clauseStarts[r]..<clauseStarts[r + 1]`.
    private let clauseStarts: [Int32]
    /// Per clause `c`: its literal ids are `literals[literalStarts[c]..<literalStarts[c + 1]]`.
    private let literalStarts: [Int32]
    private let literals: [Int32]

    init(patterns: [UserAgentPattern], templates: [[ReplacementTemplate?]]) {
        self.patterns = patterns
        self.templates = templates
        var folded: [UInt8] = []
        var clauseStarts: [Int32] = [0]
        var literalStarts: [Int32] = [0]
        var literals: [Int32] = []
        for pattern in patterns {
            folded.append(pattern.caseInsensitive ? 1 : 0)
            for clause in pattern.clauses {
                literals += clause.map { Int32($0) }
                literalStarts.append(Int32(literals.count))
            }
            clauseStarts.append(Int32(literalStarts.count - 1))
        }
        self.folded = folded
        self.clauseStarts = clauseStarts
        self.literalStarts = literalStarts
        self.literals = literals
    }

    /// The expanded templates of the first rule that matches `subject`, or `nil` when none does.
    func firstMatch(_ subject: UserAgentSubject) -> [String?]? {
        var index = 0
        while let candidate = nextCandidate(from: index, subject) {
            if let match = patterns[candidate].match(subject) {
                return templates[candidate].map { template in template?.expand(match.group) }
            }
            index = candidate + 1
        }
        return nil
    }

    /// The first rule at or after `start` whose literal requirement `subject` meets.
    private func nextCandidate(from start: Int, _ subject: UserAgentSubject) -> Int? {
        folded.withUnsafeBufferPointer { folded in
            clauseStarts.withUnsafeBufferPointer { clauseStarts in
                literalStarts.withUnsafeBufferPointer { literalStarts in
                    literals.withUnsafeBufferPointer { literals in
                        subject.exactHits.withUnsafeBufferPointer { exactHits in
                            subject.foldedHits.withUnsafeBufferPointer { foldedHits in
                                var rule = start
                                while rule < folded.count {
                                    let isFolded = folded[rule] != 0
                                    // Case folding beyond ASCII (U+212A KELVIN SIGN is `k`) escapes the
                                    // lowercased search: such subjects run case-insensitive rules unfiltered.
                                    if isFolded && !subject.isASCII { return rule }
                                    let hits = isFolded ? foldedHits : exactHits
                                    var satisfied = true
                                    var clause = Int(clauseStarts[rule])
                                    let clauseEnd = Int(clauseStarts[rule + 1])
                                    while satisfied && clause < clauseEnd {
                                        satisfied = false
                                        for position in Int(literalStarts[clause])..<Int(literalStarts[clause + 1]) {
                                            let id = Int(literals[position])
                                            if hits[id >> 6] & (1 << UInt64(id & 63)) != 0 {
                                                satisfied = true
                                                break
                                            }
                                        }
                                        clause += 1
                                    }
                                    if satisfied { return rule }
                                    rule += 1
                                }
                                return nil
                            }
                        }
                    }
                }
            }
        }
    }
}
