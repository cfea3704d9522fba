/// Finds, in one pass over a byte string, which of a fixed set of literals occur in it (Aho–Corasick, as a
/// deterministic automaton over byte classes).
///
/// Built once from the rules' required literals (and the bot-detection substrings); `scan` is the per-event
/// part and costs one table lookup per input byte. Immutable after construction, so `Sendable`.
struct LiteralSearch: Sendable {
    /// Number of literals; ids are `0..<count` in the order given to `init`.
    let count: Int
    /// Byte → column in `transitions`; bytes that occur in no literal share column 0.
    private let byteClass: [UInt16]
    private let classCount: Int
    /// `transitions[state * classCount + class]` is the next state.
    private let transitions: [Int32]
    /// Literal ids recognised on entering a state: `outputs[outputStart[s]..<outputStart[s + 1]]`.
    private let outputStart: [Int32]
    private let outputs: [Int32]

    /// Builds the automaton. Empty literals are never reported.
    init(literals: [[UInt8]]) {
        count = literals.count
        var classes = [UInt16](repeating: 0, count: 256)
        var nextClass = 1
        for literal in literals {
            for byte in literal where classes[Int(byte)] == 0 {
                classes[Int(byte)] = UInt16(nextClass)
                nextClass += 1
            }
        }
        byteClass = classes
        classCount = nextClass

        // Trie.
        var children: [[Int: Int32]] = [[:]]
        var own: [[Int32]] = [[]]
        for (id, literal) in literals.enumerated() where !literal.isEmpty {
            var state = 0
            for byte in literal {
                let column = Int(classes[Int(byte)])
                if let next = children[state][column] {
                    state = Int(next)
                } else {
                    children.append([:])
                    own.append([])
                    children[state][column] = Int32(children.count - 1)
                    state = children.count - 1
                }
            }
            own[state].append(Int32(id))
        }

        // Breadth-first: failure links folded into a full transition table, outputs merged along them.
        let stateCount = children.count
        var table = [Int32](repeating: 0, count: stateCount * nextClass)
        var failure = [Int32](repeating: 0, count: stateCount)
        var merged = own
        var queue: [Int] = []
        for column in 0..<nextClass {
            if let child = children[0][column] {
                table[column] = child
                queue.append(Int(child))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let fail = Int(failure[state])
            merged[state] += merged[fail].filter { !merged[state].contains($0) }
            for column in 0..<nextClass {
                if let child = children[state][column] {
                    table[state * nextClass + column] = child
                    failure[Int(child)] = table[fail * nextClass + column]
                    queue.append(Int(child))
                } else {
                    table[state * nextClass + column] = table[fail * nextClass + column]
                }
            }
        }
        transitions = table
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for ids in merged {
            flat += ids
            starts.append(Int32(flat.count))
        }
        outputStart = starts
        outputs = flat
    }

    /// Marks in `found` every literal that occurs in `bytes` (ASCII-lowercased first when `lowercasing`).
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, lowercasing: Bool, into found: inout LiteralHits) {
        guard count > 0 else { return }
        transitions.withUnsafeBufferPointer { table in
            byteClass.withUnsafeBufferPointer { classes in
                outputStart.withUnsafeBufferPointer { starts in
                    var state = 0
                    for var byte in bytes {
                        if lowercasing, byte &- 65 < 26 { byte |= 0x20 }
                        state = Int(table[state &* classCount &+ Int(classes[Int(byte)])])
                        let start = Int(starts[state])
                        let end = Int(starts[state &+ 1])
                        if start != end {
                            for index in start..<end { found.insert(Int(outputs[index])) }
                        }
                    }
                }
            }
        }
    }
}

/// The set of literal ids found by ``LiteralSearch/scan(_:lowercasing:into:)``: a small bit set.
struct LiteralHits {
    private(set) var words: [UInt64]

    /// An empty set able to hold ids `0..<capacity`.
    init(capacity: Int) {
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    mutating func insert(_ id: Int) {
        words[id >> 6] |= 1 << UInt64(id & 63)
    }

    func contains(_ id: Int) -> Bool {
        words[id >> 6] & (1 << UInt64(id & 63)) != 0
    }
}
