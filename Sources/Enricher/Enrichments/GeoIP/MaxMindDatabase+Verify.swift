import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Shared

extension MaxMindDatabase {
    /// Checks the whole file, as MaxMind's `mmdbverify` does: the 16 zero bytes between tree and data,
    /// every node of the search tree (each record is a node, "no data", or a pointer into the data
    /// section; no path is longer than the address), and every data record the tree points to, decoded
    /// structurally (types, sizes, UTF-8, pointer targets, nesting, pointer cycles).
    ///
    /// Takes time proportional to the file (GeoLite2-City: ~0.4 s wall in a release build; the data
    /// records are walked on two threads). A database that passes can still be looked up safely without
    /// it; this is what a replacement must pass before it is swapped in. A paged database (see
    /// ``MaxMindDatabase``) is checked through a temporary read-only mapping of its private copy, not
    /// through its small page cache; the pages read are dropped every few MB of progress and the mapping
    /// is removed at the end, so the check does not keep the file resident.
    /// - Throws: `geoip.invalid_database` naming the first problem found; `geoip.unreadable_database`
    ///   when the private copy cannot be mapped.
    public func verify() throws {
        guard let pages = file.pages else {
            try verify(file: file, data: data, dropPages: {})
            return
        }
        let size = pages.fileSize
        guard size > 0, let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, pages.descriptor, 0), address != MAP_FAILED else {
            throw Self.fileFailure("map the private copy of", source)
        }
        defer { munmap(address, size) }
        _ = madvise(address, size, MADV_RANDOM)
        let bytes = MaxMindBytes(memory: UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size))
        let mappedData = MaxMindDataDecoder(
            file: bytes, sectionStart: data.sectionStart, sectionSize: data.sectionSize, sectionName: data.sectionName, source: source)
        let addressBits = Int(bitPattern: address)  // (a pointer is not Sendable; the mapping outlives the check)
        try verify(
            file: bytes, data: mappedData,
            dropPages: { _ = madvise(UnsafeMutableRawPointer(bitPattern: addressBits), size, MADV_DONTNEED) })
    }

    /// The check of ``verify()`` over `file` (this database's bytes in memory) and its data section
    /// decoder `data`; `dropPages` drops what has been read so far from the resident set.
    private func verify(file: MaxMindBytes, data: MaxMindDataDecoder, dropPages: @escaping @Sendable () -> Void) throws {
        for index in searchTreeSize..<searchTreeSize + 16 where file[index] != 0 {
            throw FreshetError(
                .geoipInvalidDatabase,
                "MaxMind DB \(source) is corrupt: byte \(index) of the 16-byte data section separator is \(file[index]), not 0; replace the file"
            )
        }
        // Depth-first over the node graph, computing each node's height (the most records a walk from it
        // can read before leaving the tree). MaxMind trees share subtrees (the IPv4 aliases), so a node may
        // be reached along several paths; what matters is that no path is a cycle and none from the root is
        // longer than an address, because a lookup can take any path.
        let bitCount = metadata.ipVersion == 6 ? 128 : 32
        // Heights are at most 129, so one byte per node (the tree of GeoLite2-City has millions of nodes).
        var height = [UInt8](repeating: 0, count: nodeCount)
        var state = [UInt8](repeating: 0, count: nodeCount)  // 0 new, 1 being expanded, 2 done
        var pending: [(node: Int, expanded: Bool)] = [(0, false)]
        // The data-section offsets of the records the tree points to, one bit each (in offset order).
        var records = [UInt64](repeating: 0, count: data.sectionSize / 64 + 1)
        var visited = 0
        while let (node, expanded) = pending.popLast() {
            if expanded {
                var tallest: UInt8 = 0
                for bit in 0...1 {
                    let value = Self.readRecord(file, node: node, bit: bit, recordSize: recordSize, nodeByteSize: nodeByteSize)
                    if value < nodeCount { tallest = max(tallest, height[value]) }
                }
                height[node] = UInt8(min(Int(tallest) + 1, bitCount + 1))
                state[node] = 2
                continue
            }
            switch state[node] {
            case 2: continue
            case 1:
                throw FreshetError(
                    .geoipInvalidDatabase,
                    "MaxMind DB \(source) is corrupt: the search tree loops back to node \(node); replace the file")
            default: break
            }
            state[node] = 1
            pending.append((node, true))
            visited += 1
            if visited & Self.nodesBetweenPageDrops == 0 { dropPages() }
            for bit in 0...1 {
                let value = Self.readRecord(file, node: node, bit: bit, recordSize: recordSize, nodeByteSize: nodeByteSize)
                if value < nodeCount {
                    if state[value] == 1 {
                        throw FreshetError(
                            .geoipInvalidDatabase,
                            "MaxMind DB \(source) is corrupt: node \(node) points back to node \(value), a loop in the search tree; replace the file")
                    }
                    if state[value] == 0 { pending.append((value, false)) }
                } else if value > nodeCount {
                    let offset = try record(forTreeValue: value, while: "verifying node \(node)").offset
                    records[offset >> 6] |= 1 << UInt64(offset & 63)
                }
            }
        }
        guard height[0] <= bitCount else {
            throw FreshetError(
                .geoipInvalidDatabase,
                "MaxMind DB \(source) is corrupt: a path through the search tree is longer than the \(bitCount) bits of an address; replace the file"
            )
        }
        guard data.sectionSize < Int(UInt32.max) else {
            throw FreshetError(
                .geoipInvalidDatabase, "MaxMind DB \(source) has a data section of \(data.sectionSize) bytes; at most 4 GiB is supported")
        }
        // The records are walked in two halves on two threads (most of the check's time; GeoLite2-City:
        // ~0.45 of ~0.6 s on one thread), each half with its own table of walked pointer targets (a target
        // both halves share is walked by each). The first problem in offset order is reported.
        let total = records.reduce(0) { $0 + $1.nonzeroBitCount }
        var split = 0, before = 0
        while split < records.count, before < total / 2 {
            before += records[split].nonzeroBitCount
            split += 1
        }
        let parts = [0..<split, split..<records.count]
        let words = records  // (the threads read an immutable copy; the buffer is shared, not copied)
        let failures = VerifyFailures(count: parts.count)
        DispatchQueue.concurrentPerform(iterations: parts.count) { part in
            do {
                var walker = StructureWalker(data: data)
                var walked = 0
                for word in parts[part] where words[word] != 0 {
                    var remaining = words[word]
                    while remaining != 0 {
                        let offset = word << 6 | remaining.trailingZeroBitCount
                        remaining &= remaining - 1
                        let shape = try walker.walk(offset, depth: 0)
                        guard shape.values <= MaxMindDataDecoder.maximumValues else {
                            throw data.corrupt(
                                "the record expands to more than \(MaxMindDataDecoder.maximumValues) values (pointer amplification)",
                                at: offset)
                        }
                        walked += 1
                        if walked & Self.recordsBetweenPageDrops == 0 { dropPages() }
                    }
                }
            } catch {
                failures.record(error, part: part)
            }
        }
        dropPages()
        if let failure = failures.first { throw failure }
    }

    /// `verify()` drops the mapped pages it read after every 2^18 tree nodes (~2 MB of tree) and every
    /// 2^13 records (about a MB of data section): masks for those counts.
    private static let nodesBetweenPageDrops = (1 << 18) - 1
    private static let recordsBetweenPageDrops = (1 << 13) - 1
}

/// The error each part of ``MaxMindDatabase/verify()``'s record walk ended with, if any.
///
/// Threading: the parts record from their own threads (under the lock); ``first`` is read once they all
/// returned.
private final class VerifyFailures: Sendable {
    private let errors: Mutex<[(any Error)?]>

    init(count: Int) { errors = Mutex(Array(repeating: nil, count: count)) }

    func record(_ error: any Error, part: Int) { errors.withLock { $0[part] = error } }

    /// The error of the lowest part that failed (the parts are in offset order).
    var first: (any Error)? { errors.withLock { $0.lazy.compactMap { $0 }.first } }
}

/// Walks data-section values checking their structure, following each pointer target once and
/// remembering its shape, so that a target shared by many records is checked once yet every record's
/// full nesting depth and size (as a decode would meet them) is known.
private struct StructureWalker {
    /// Where a value ends, how deeply its maps and arrays nest (0 for a scalar), and how many values a
    /// full decode of it produces (capped just above the decoder's limit).
    struct Shape {
        var next: Int
        var height: Int
        var values: Int
    }

    let data: MaxMindDataDecoder
    var targets = ShapeTable()
    /// The pointer targets being walked, innermost last (at most ``MaxMindDataDecoder/maximumDepth``
    /// long: each one is a level of nesting).
    var targetsInProgress: [Int] = []

    init(data: MaxMindDataDecoder) { self.data = data }

    /// Checks the value at `offset`, which sits `depth` containers deep.
    mutating func walk(_ offset: Int, depth: Int) throws -> Shape {
        let field = try data.field(at: offset)
        switch field.type {
        case .pointer:
            let target = field.size
            guard target < data.sectionSize else {
                throw data.corrupt("pointer to offset \(target) lies outside the data section (\(data.sectionSize) bytes)", at: offset)
            }
            if targetsInProgress.contains(target) {
                throw data.corrupt("pointer to offset \(target) leads back into a value that contains it (a cycle)", at: offset)
            }
            let shape: Shape
            if let known = targets.shape(at: target) {
                shape = known
            } else {
                if try data.field(at: target).type == .pointer {
                    throw data.corrupt("pointer to offset \(target) points to another pointer", at: offset)
                }
                targetsInProgress.append(target)
                shape = try walk(target, depth: depth)
                targetsInProgress.removeLast()
                targets.insert(shape, at: target)
            }
            guard depth + shape.height <= MaxMindDataDecoder.maximumDepth else {
                throw data.corrupt("maps and arrays nest deeper than \(MaxMindDataDecoder.maximumDepth) levels", at: offset)
            }
            return Shape(next: field.payload, height: shape.height, values: shape.values)
        case .utf8String:
            try data.requireBytes(field.payload, field.size, for: "a string")
            let valid = data.file.withBytes(data.sectionStart + field.payload, field.size) { String(validating: $0, as: UTF8.self) != nil }
            guard valid else {
                throw data.corrupt("string of \(field.size) bytes is not valid UTF-8", at: offset)
            }
            return Shape(next: field.payload + field.size, height: 0, values: 1)
        case .map, .array:
            guard depth < MaxMindDataDecoder.maximumDepth else {
                throw data.corrupt("maps and arrays nest deeper than \(MaxMindDataDecoder.maximumDepth) levels", at: offset)
            }
            var position = field.payload
            var height = 0
            var values = 1
            for _ in 0..<field.size {
                if field.type == .map {
                    let (key, keyOffset, _) = try data.resolvedField(at: position)
                    guard key.type == .utf8String else {
                        throw data.corrupt("map key is a \(key.type), not a string", at: keyOffset)
                    }
                    position = try walk(position, depth: depth + 1).next
                }
                let element = try walk(position, depth: depth + 1)
                position = element.next
                height = max(height, element.height)
                values = min(values + element.values, MaxMindDataDecoder.maximumValues + 1)
            }
            return Shape(next: position, height: height + 1, values: values)
        default:
            return Shape(next: try data.skip(offset, depth: depth), height: 0, values: 1)
        }
    }
}

/// The height and value count of walked pointer targets by data-section offset: an open-addressing
/// table (linear probing, Fibonacci hashing, at most 3/4 full) of 32-bit offsets and 32-bit packed
/// shapes — GeoLite2-City has hundreds of thousands of targets, looked up millions of times, where
/// `Dictionary`'s seeded hashing dominated the verify pass and its entries took 4 times the memory.
/// Offsets must be below `UInt32.max` (``MaxMindDatabase/verify()`` checks the section size).
private struct ShapeTable {
    private static let empty = UInt32.max
    private var keys: [UInt32]
    private var packed: [UInt32]
    private var count = 0
    private var shift: UInt64

    init() {
        keys = [UInt32](repeating: Self.empty, count: 1 << 12)
        packed = [UInt32](repeating: 0, count: 1 << 12)
        shift = 64 - 12
    }

    @inline(__always)
    private func slot(_ key: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The shape stored for `offset` (its `next` is 0: a pointer's own end is what follows it), or `nil`.
    func shape(at offset: Int) -> StructureWalker.Shape? {
        let key = UInt32(truncatingIfNeeded: offset)
        let mask = keys.count - 1
        var position = slot(key)
        while true {
            let stored = keys[position]
            if stored == key {
                let value = packed[position]
                return StructureWalker.Shape(next: 0, height: Int(value >> 24), values: Int(value & 0xFF_FFFF))
            }
            if stored == Self.empty { return nil }
            position = (position + 1) & mask
        }
    }

    /// Stores the height (at most 255) and value count (capped at 2^24 - 1, above the decoder's limit)
    /// of `shape` for `offset` (not yet stored).
    mutating func insert(_ shape: StructureWalker.Shape, at offset: Int) {
        if (count + 1) * 4 > keys.count * 3 { grow() }
        place(UInt32(truncatingIfNeeded: offset), UInt32(min(shape.height, 255)) << 24 | UInt32(min(shape.values, 0xFF_FFFF)))
        count += 1
    }

    private mutating func place(_ key: UInt32, _ value: UInt32) {
        let mask = keys.count - 1
        var position = slot(key)
        while keys[position] != Self.empty { position = (position + 1) & mask }
        keys[position] = key
        packed[position] = value
    }

    private mutating func grow() {
        let oldKeys = keys, oldPacked = packed
        keys = [UInt32](repeating: Self.empty, count: oldKeys.count * 2)
        packed = [UInt32](repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        for (position, key) in oldKeys.enumerated() where key != Self.empty { place(key, oldPacked[position]) }
    }
}
