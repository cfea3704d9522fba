#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A regular expression compiled for a backtracking matcher that works directly on UTF-8 bytes.
///
/// Why not `NSRegularExpression`: on Linux each call converts the string to UTF-16 and crosses into ICU,
/// about 1 µs even when nothing matches, and a uap-core parse tries dozens of rules. This matcher handles the
/// syntax ``RegexSyntax`` reads with the semantics of Python's `re` (uap-core's reference parser): leftmost
/// match, alternatives and quantifiers tried in priority order, a group keeps its last iteration's text,
/// `.` matches anything but `\n`, `$` also matches before a final `\n`, `\d \w \s \b` are Unicode-aware.
/// Matching is by Unicode scalar (`.` and classes consume whole characters), so captures never split one.
///
/// Immutable and `Sendable` (a final class of constants, so that handing it around costs one reference
/// count); a match needs a ``BacktrackingRegex/Scratch`` owned by the calling thread.
final class BacktrackingRegex: Sendable {
    enum Instruction: Sendable {
        case byte(UInt8)
        case foldedByte(UInt8)
        case characterClass(Int32)
        case anyExceptNewline
        /// Try `first`; on failure resume at `second`.
        case split(first: Int32, second: Int32)
        case jump(Int32)
        case save(Int32)
        case startAnchor
        case endAnchor
        case wordBoundary(Bool)
        /// Continue only if the next byte is in byte set `set`; otherwise go to `otherwise` (`-1`: fail).
        /// Guards each alternative so that a branch that cannot start here costs no backtracking frame.
        case requireByte(set: Int32, otherwise: Int32)
        case match
    }

    /// Per-thread working memory, reused across matches to avoid allocating.
    final class Scratch {
        var slots: [Int32] = []
        var stack: [Frame] = []
        init() {}
    }

    struct Frame {
        var pc: Int32
        var position: Int32
        /// `-1` for a backtrack point; otherwise a capture slot to restore to `old`.
        var slot: Int32
        var old: Int32
    }

    private let program: [Instruction]
    private let classes: [RegexCharacterClass]
    /// The ASCII bit sets of `classes`, two words per class, for the common case without copying a class.
    private let classASCII: [UInt64]
    /// Byte sets for ``Instruction/requireByte(set:otherwise:)``, four words per set.
    private let byteSets: [UInt64]
    /// Number of capturing groups.
    let captureCount: Int
    private let anchoredAtStart: Bool
    /// Bytes a match at position 0 can start with; `nil` when such a match may be empty.
    private let firstBytesAtStart: [Bool]?
    /// Bytes a match after position 0 can start with (there `^` cannot match); `nil` when it may be empty.
    private let firstBytes: [Bool]?
    /// The only byte in `firstBytes`, when there is just one (an ASCII byte, so always a character start).
    private let onlyFirstByte: UInt8?

    /// Compiles `pattern`.
    /// - Throws: ``RegexSyntax/Unsupported`` for syntax outside the subset, or for an unbounded repetition
    ///   of something that can match the empty string (which a backtracking matcher could loop on).
    init(pattern: String, caseInsensitive: Bool) throws {
        let (tree, captures) = try RegexSyntax.parse(pattern, caseInsensitive: caseInsensitive)
        var compiler = Compiler()
        compiler.emit(.save(0))
        try compiler.compile(tree)
        compiler.emit(.save(1))
        compiler.emit(.match)
        program = compiler.program
        classes = compiler.classes
        classASCII = compiler.classes.flatMap { [$0.ascii.0, $0.ascii.1] }
        byteSets = compiler.byteSets
        captureCount = captures
        anchoredAtStart = Self.startsWithAnchor(tree)
        let (atStart, nullableAtStart) = Self.firstBytes(tree, startAnchorMatches: true)
        firstBytesAtStart = nullableAtStart ? nil : atStart
        let (later, nullableLater) = Self.firstBytes(tree, startAnchorMatches: false)
        firstBytes = nullableLater ? nil : later
        let candidates = nullableLater ? [] : (0..<128).filter { later[$0] }
        onlyFirstByte = candidates.count == 1 && !later[128...].contains(true) ? UInt8(candidates[0]) : nil
    }

    /// Finds the leftmost match in `subject`. On success the capture spans are available through `group`.
    func firstMatch(in subject: UnsafeBufferPointer<UInt8>, scratch: Scratch) -> Bool {
        let slotCount = 2 * (captureCount + 1)
        var slots: [Int32] = []
        var stack: [Frame] = []
        swap(&slots, &scratch.slots)
        swap(&stack, &scratch.stack)
        defer {
            swap(&slots, &scratch.slots)
            swap(&stack, &scratch.stack)
        }
        if slots.count < slotCount { slots = [Int32](repeating: -1, count: slotCount) }
        let count = subject.count
        // Position 0, where `^` can match.
        if let filter = firstBytesAtStart, count == 0 || !filter[Int(subject[0])] {
            if anchoredAtStart { return false }
        } else {
            for index in 0..<slotCount { slots[index] = -1 }
            if run(subject, from: 0, &slots, &stack) { return true }
            if anchoredAtStart { return false }
        }
        // Later positions: only character boundaries whose byte can start a match.
        var start = 1
        while start <= count {
            if start < count {
                if let only = onlyFirstByte {
                    guard let found = Self.find(only, in: subject, from: start) else { return false }
                    start = found
                } else if let firstBytes {
                    let byte = subject[start]
                    if byte & 0xC0 == 0x80 || !firstBytes[Int(byte)] {
                        start += 1
                        continue
                    }
                } else if subject[start] & 0xC0 == 0x80 {
                    start += 1
                    continue
                }
            } else if firstBytes != nil {
                return false
            }
            for index in 0..<slotCount { slots[index] = -1 }
            if run(subject, from: start, &slots, &stack) { return true }
            start += 1
        }
        return false
    }

    /// The index of the next `byte` at or after `start`, by `memchr`.
    private static func find(_ byte: UInt8, in subject: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = subject.baseAddress, start < subject.count else { return nil }
        guard let found = memchr(base + start, Int32(byte), subject.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The byte range of capture group `index` after a successful ``firstMatch(in:scratch:)``, or `nil`
    /// when the group did not take part.
    func group(_ index: Int, scratch: Scratch) -> Range<Int>? {
        guard index <= captureCount else { return nil }
        let start = scratch.slots[2 * index]
        let end = scratch.slots[2 * index + 1]
        guard start >= 0, end >= start else { return nil }
        return Int(start)..<Int(end)
    }

    private func run(
        _ subject: UnsafeBufferPointer<UInt8>, from start: Int, _ slots: inout [Int32], _ stack: inout [Frame]
    ) -> Bool {
        let count = subject.count
        stack.removeAll(keepingCapacity: true)
        stack.append(Frame(pc: 0, position: Int32(start), slot: -1, old: 0))
        return program.withUnsafeBufferPointer { program in
            classASCII.withUnsafeBufferPointer { classASCII in
                byteSets.withUnsafeBufferPointer { byteSets in
                    while let frame = stack.popLast() {
                        if frame.slot >= 0 {
                            slots[Int(frame.slot)] = frame.old
                            continue
                        }
                        var pc = Int(frame.pc)
                        var position = Int(frame.position)
                        thread: while true {
                            switch program[pc] {
                            case .byte(let byte):
                                guard position < count, subject[position] == byte else { break thread }
                                position += 1
                                pc += 1
                            case .foldedByte(let byte):
                                guard position < count, subject[position] | 0x20 == byte else { break thread }
                                position += 1
                                pc += 1
                            case .characterClass(let index):
                                guard position < count else { break thread }
                                let lead = subject[position]
                                if lead < 0x80 {
                                    let word = classASCII[2 * Int(index) + (lead < 64 ? 0 : 1)]
                                    guard word & (1 << UInt64(lead & 63)) != 0 else { break thread }
                                    position += 1
                                } else {
                                    let (value, length) = Self.decode(subject, at: position)
                                    guard classes[Int(index)].containsNonASCII(value) else { break thread }
                                    position += length
                                }
                                pc += 1
                            case .anyExceptNewline:
                                guard position < count, subject[position] != 10 else { break thread }
                                position += subject[position] < 0x80 ? 1 : Self.decode(subject, at: position).length
                                pc += 1
                            case .split(let first, let second):
                                stack.append(Frame(pc: second, position: Int32(position), slot: -1, old: 0))
                                pc = Int(first)
                            case .jump(let target):
                                pc = Int(target)
                            case .save(let slot):
                                stack.append(Frame(pc: 0, position: 0, slot: slot, old: slots[Int(slot)]))
                                slots[Int(slot)] = Int32(position)
                                pc += 1
                            case .startAnchor:
                                guard position == 0 else { break thread }
                                pc += 1
                            case .endAnchor:
                                guard position == count || (position == count - 1 && subject[position] == 10) else {
                                    break thread
                                }
                                pc += 1
                            case .wordBoundary(let wanted):
                                guard Self.isWordBoundary(subject, at: position) == wanted else { break thread }
                                pc += 1
                            case .requireByte(let set, let otherwise):
                                if position < count {
                                    let byte = subject[position]
                                    if byteSets[4 * Int(set) + Int(byte >> 6)] & (1 << UInt64(byte & 63)) != 0 {
                                        pc += 1
                                        continue
                                    }
                                }
                                guard otherwise >= 0 else { break thread }
                                pc = Int(otherwise)
                            case .match:
                                return true
                            }
                        }
                    }
                    return false
                }
            }
        }
    }

    /// Decodes the scalar starting at `position` (the input is valid UTF-8: it comes from a `String`).
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (value: UInt32, length: Int) {
        let lead = UInt32(bytes[position])
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard position + length <= bytes.count else { return (0xFFFD, 1) }
        var value = lead & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | UInt32(bytes[position + offset] & 0x3F) }
        return (value, length)
    }

    private static func isWordBoundary(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        var before = false
        if position > 0 {
            var start = position - 1
            while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
            let value = bytes[start] < 0x80 ? UInt32(bytes[start]) : decode(bytes, at: start).value
            before = RegexCharacterClass.isWord(value)
        }
        var after = false
        if position < bytes.count {
            let value = bytes[position] < 0x80 ? UInt32(bytes[position]) : decode(bytes, at: position).value
            after = RegexCharacterClass.isWord(value)
        }
        return before != after
    }

    private static func startsWithAnchor(_ node: RegexNode) -> Bool {
        switch node {
        case .startAnchor: return true
        case .group(let inner, _): return startsWithAnchor(inner)
        case .concatenation(let items): return items.first.map(startsWithAnchor) ?? false
        case .alternation(let branches): return branches.allSatisfy(startsWithAnchor)
        default: return false
        }
    }

    /// The bytes a match of `node` can start with, and whether it can match the empty string.
    /// With `startAnchorMatches == false` the answer holds for matches starting after position 0 only.
    fileprivate static func firstBytes(_ node: RegexNode, startAnchorMatches: Bool) -> (bytes: [Bool], nullable: Bool) {
        var bytes = [Bool](repeating: false, count: 256)
        switch node {
        case .byte(let byte):
            bytes[Int(byte)] = true
            return (bytes, false)
        case .foldedByte(let byte):
            bytes[Int(byte)] = true
            bytes[Int(byte & ~0x20)] = true
            return (bytes, false)
        case .characterClass(let set):
            for byte in 0..<128 where set.containsASCII(UInt8(byte)) { bytes[byte] = true }
            for byte in 0xC2...0xF4 { bytes[byte] = true }
            return (bytes, false)
        case .anyExceptNewline:
            bytes = [Bool](repeating: true, count: 256)
            bytes[10] = false
            return (bytes, false)
        case .startAnchor:
            return (bytes, startAnchorMatches)
        case .endAnchor, .wordBoundary:
            return (bytes, true)
        case .group(let inner, _):
            return firstBytes(inner, startAnchorMatches: startAnchorMatches)
        case .concatenation(let items):
            for item in items {
                let (first, nullable) = firstBytes(item, startAnchorMatches: startAnchorMatches)
                for byte in 0..<256 where first[byte] { bytes[byte] = true }
                if !nullable { return (bytes, false) }
            }
            return (bytes, true)
        case .alternation(let branches):
            var nullable = false
            for branch in branches {
                let (first, branchNullable) = firstBytes(branch, startAnchorMatches: startAnchorMatches)
                for byte in 0..<256 where first[byte] { bytes[byte] = true }
                nullable = nullable || branchNullable
            }
            return (bytes, nullable)
        case .repetition(let inner, let minimum, _, _):
            let (first, nullable) = firstBytes(inner, startAnchorMatches: startAnchorMatches)
            return (first, nullable || minimum == 0)
        }
    }
}

/// Turns a ``RegexNode`` tree into instructions.
private struct Compiler {
    var program: [BacktrackingRegex.Instruction] = []
    var classes: [RegexCharacterClass] = []
    var byteSets: [UInt64] = []

    /// The index of a byte set holding the bytes a match of `node` can start with, or `nil` when `node` can
    /// match the empty string or start with most bytes (a guard would not pay).
    mutating func startSet(_ node: RegexNode) -> Int32? {
        let (bytes, nullable) = BacktrackingRegex.firstBytes(node, startAnchorMatches: true)
        guard !nullable, bytes.filter({ $0 }).count < 128 else { return nil }
        var words = [UInt64](repeating: 0, count: 4)
        for byte in 0..<256 where bytes[byte] { words[byte >> 6] |= 1 << UInt64(byte & 63) }
        byteSets += words
        return Int32(byteSets.count / 4 - 1)
    }

    var next: Int32 { Int32(program.count) }

    mutating func emit(_ instruction: BacktrackingRegex.Instruction) {
        program.append(instruction)
    }

    /// Emits a placeholder to patch later; returns its address.
    mutating func placeholder() -> Int {
        program.append(.match)
        return program.count - 1
    }

    mutating func compile(_ node: RegexNode) throws {
        switch node {
        case .byte(let byte): emit(.byte(byte))
        case .foldedByte(let byte): emit(.foldedByte(byte))
        case .characterClass(let set):
            if let index = classes.firstIndex(of: set) {
                emit(.characterClass(Int32(index)))
            } else {
                classes.append(set)
                emit(.characterClass(Int32(classes.count - 1)))
            }
        case .anyExceptNewline: emit(.anyExceptNewline)
        case .startAnchor: emit(.startAnchor)
        case .endAnchor: emit(.endAnchor)
        case .wordBoundary(let wanted): emit(.wordBoundary(wanted))
        case .group(let inner, let capture):
            if let capture { emit(.save(Int32(2 * capture))) }
            try compile(inner)
            if let capture { emit(.save(Int32(2 * capture + 1))) }
        case .concatenation(let items):
            for item in items { try compile(item) }
        case .alternation(let branches):
            var exits: [Int] = []
            for (index, branch) in branches.enumerated() {
                let guardSet = startSet(branch)
                if index < branches.count - 1 {
                    let guardAddress = guardSet.map { _ in placeholder() }
                    let split = placeholder()
                    try compile(branch)
                    exits.append(placeholder())
                    program[split] = .split(first: Int32(split + 1), second: next)
                    if let guardAddress, let guardSet {
                        program[guardAddress] = .requireByte(set: guardSet, otherwise: next)
                    }
                } else {
                    if let guardSet { emit(.requireByte(set: guardSet, otherwise: -1)) }
                    try compile(branch)
                }
            }
            for exit in exits { program[exit] = .jump(next) }
        case .repetition(let inner, let minimum, let maximum, let greedy):
            for _ in 0..<minimum { try compile(inner) }
            if let maximum {
                // Nested optionals: once one is skipped, the rest are skipped too (as PCRE/Python do).
                var skips: [Int] = []
                for _ in minimum..<maximum {
                    skips.append(placeholder())
                    try compile(inner)
                }
                for skip in skips {
                    program[skip] =
                        greedy
                        ? .split(first: Int32(skip + 1), second: next) : .split(first: next, second: Int32(skip + 1))
                }
            } else {
                guard !Self.canMatchEmpty(inner) else {
                    throw RegexSyntax.Unsupported(
                        reason: "unbounded repetition of an expression that can match nothing")
                }
                let loop = placeholder()
                try compile(inner)
                emit(.jump(Int32(loop)))
                program[loop] =
                    greedy
                    ? .split(first: Int32(loop + 1), second: next) : .split(first: next, second: Int32(loop + 1))
            }
        }
    }

    static func canMatchEmpty(_ node: RegexNode) -> Bool {
        switch node {
        case .byte, .foldedByte, .characterClass, .anyExceptNewline: return false
        case .startAnchor, .endAnchor, .wordBoundary: return true
        case .group(let inner, _): return canMatchEmpty(inner)
        case .concatenation(let items): return items.allSatisfy(canMatchEmpty)
        case .alternation(let branches): return branches.contains(where: canMatchEmpty)
        case .repetition(let inner, let minimum, _, _): return minimum == 0 || canMatchEmpty(inner)
        }
    }
}
