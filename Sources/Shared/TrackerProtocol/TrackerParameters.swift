/// The parameters of one raw tracker event: an ordered map from parameter name (`e`, `tv`, `url`, …)
/// to its decoded string value.
///
/// Order is the order in which names first appeared (querystring or POST body). Setting an existing
/// name replaces the value in place — so building from a querystring with a repeated name keeps the
/// **last** value at the first position, matching enrich's `toMap`. Equality ignores order (two
/// events with the same name/value pairs are the same event).
///
/// Lookup is a linear scan for typical events (≤ 32 parameters) and a hash index above that, so a
/// hostile request with thousands of parameters stays linear. The scan compares names of at most 7
/// ASCII bytes (every tracker parameter's) as one integer each (``packedName(_:)``), and others with `==`.
/// A known parameter (``TrackerParameter``) is found without a scan: each one's position is kept in a
/// table indexed by ``TrackerParameter/ordinal`` as names are added (mapping an event looks up every
/// known parameter, most of them absent).
public struct TrackerParameters: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One parameter.
    public typealias Element = (name: String, value: String)

    /// The parameters in order.
    public private(set) var elements: [Element] = []
    /// ``packedName(_:)`` of each element's name, in element order.
    private var keys: [UInt64] = []
    private var index: [String: Int]? = nil
    /// One bit per packed name present (``presenceBit(_:)``), all bits once a name does not pack: a
    /// clear bit proves a packed name absent without scanning (most lookups are for absent names).
    private var presence: UInt64 = 0
    /// Position + 1 of each known parameter present, by ``TrackerParameter/ordinal``; 0 when absent.
    /// Used while there is no `index` and every name packs (`unpackedNames == 0`: a name that does not
    /// pack may still equal a parameter's name canonically, so then lookups scan).
    private var knownPositions: KnownPositions = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// 80 bytes, one per ordinal (a tuple: fixed-size storage without `InlineArray`, which needs the
    /// Swift 6.2 standard library and macOS 26).
    private typealias KnownPositions = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    /// How many names do not pack (``packedName(_:)`` is 0).
    private var unpackedNames = 0
    private static let indexThreshold = 32

    /// No parameters.
    public init() {}

    /// No parameters, with room for `minimumCapacity` without growing.
    public init(minimumCapacity: Int) {
        elements.reserveCapacity(minimumCapacity)
        keys.reserveCapacity(minimumCapacity)
    }

    /// Parameters from decoded querystring pairs; a repeated name keeps its last value.
    public init(_ pairs: [QueryParameter]) {
        self.init(minimumCapacity: pairs.count)
        for pair in pairs { self[pair.name] = pair.value }
    }

    /// Parameters from name/value pairs in order; a repeated name keeps its last value.
    public init(_ pairs: some Sequence<Element>) {
        self.init(minimumCapacity: pairs.underestimatedCount)
        for pair in pairs { self[pair.name] = pair.value }
    }

    /// Parameters in literal order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(minimumCapacity: elements.count)
        for (name, value) in elements { self[name] = value }
    }

    /// Number of parameters.
    public var count: Int { elements.count }
    /// `true` when there are none.
    public var isEmpty: Bool { elements.isEmpty }
    /// The names in order.
    public var names: [String] { elements.map(\.name) }

    /// The value of `name`. Setting a new name appends it; setting `nil` removes it.
    public subscript(name: String) -> String? {
        get { position(of: name).map { elements[$0].value } }
        set {
            let key = Self.packedName(name)
            let known = key == 0 ? nil : TrackerParameter(packedName: key)
            if let position = position(of: name, key: key, known: known) {
                if let newValue {
                    elements[position].value = newValue
                } else {
                    // The removed element's own key decides (a name that does not pack may equal one that does).
                    if keys[position] == 0 { unpackedNames -= 1 }
                    elements.remove(at: position)
                    keys.remove(at: position)
                    presence = keys.reduce(0) { $0 | Self.presenceBit($1) }
                    rebuildIndex()
                }
            } else if let newValue {
                elements.append((name, newValue))
                keys.append(key)
                presence |= Self.presenceBit(key)
                if key == 0 { unpackedNames += 1 }
                if let known, elements.count <= Self.indexThreshold { setKnownPosition(known, UInt8(elements.count)) }
                if index != nil {
                    index?[name] = elements.count - 1
                } else if elements.count > Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    /// The value of a known parameter.
    public subscript(parameter: TrackerParameter) -> String? {
        get {
            // The name's packed key is a constant (``TrackerParameter/packedName``): no packing per lookup.
            position(of: parameter.rawValue, key: parameter.packedName, known: parameter).map { elements[$0].value }
        }
        set { self[parameter.rawValue] = newValue }
    }

    /// `true` while ``knownPositions`` answers for every known parameter.
    @inline(__always)
    private var usesKnownPositions: Bool { index == nil && unpackedNames == 0 }

    /// ``knownPositions``' entry for `parameter`: its position + 1, 0 when absent.
    @inline(__always)
    private func knownPositionPlusOne(_ parameter: TrackerParameter) -> Int {
        withUnsafeBytes(of: knownPositions) { Int($0[parameter.ordinal]) }
    }

    @inline(__always)
    private mutating func setKnownPosition(_ parameter: TrackerParameter, _ positionPlusOne: UInt8) {
        withUnsafeMutableBytes(of: &knownPositions) { $0[parameter.ordinal] = positionPlusOne }
    }

    /// `true` if `name` is present (even with an empty value).
    public func contains(_ name: String) -> Bool { position(of: name) != nil }

    /// These parameters with every parameter of `overrides` set on top (existing names replaced in
    /// place, new names appended) — how tp2 merges querystring parameters into each POST event.
    public func merging(_ overrides: TrackerParameters) -> TrackerParameters {
        guard !overrides.isEmpty else { return self }
        var merged = self
        for element in overrides.elements { merged[element.name] = element.value }
        return merged
    }

    /// Iterates the parameters in order.
    public func makeIterator() -> IndexingIterator<[Element]> { elements.makeIterator() }

    /// Same names with the same values, in any order.
    public static func == (lhs: TrackerParameters, rhs: TrackerParameters) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for element in lhs.elements where rhs[element.name] != element.value { return false }
        return true
    }

    private func position(of name: String) -> Int? {
        let key = Self.packedName(name)
        return position(of: name, key: key, known: key == 0 ? nil : TrackerParameter(packedName: key))
    }

    /// The position of `name`, whose ``packedName(_:)`` is `key` and which is the known parameter
    /// `known` (or none): from ``knownPositions`` while it answers, else from the index or a scan.
    @inline(__always)
    private func position(of name: String, key: UInt64, known: TrackerParameter?) -> Int? {
        if let known, usesKnownPositions {
            let position = knownPositionPlusOne(known)
            return position == 0 ? nil : position - 1
        }
        return position(ofPacked: key, name: name)
    }

    /// The position of `name`, whose ``packedName(_:)`` is `key`: from the index when there is one, else
    /// by scanning.
    @inline(__always)
    private func position(ofPacked key: UInt64, name: String) -> Int? {
        if let index { return index[name] }
        guard key != 0 else { return elements.firstIndex { $0.name == name } }
        if presence & Self.presenceBit(key) == 0 { return nil }
        // Two ASCII names are equal exactly when their bytes are; a non-ASCII or long name (key 0) may
        // still be canonically equivalent to an ASCII one (U+212A KELVIN SIGN is "K"), so it takes `==`.
        for position in keys.indices {
            let candidate = keys[position]
            if candidate == key || (candidate == 0 && elements[position].name == name) { return position }
        }
        return nil
    }

    /// A name of 1–7 ASCII bytes packed with its length into one integer (equal names, equal keys;
    /// different names, different keys); 0 for any other name.
    @inline(__always)
    public static func packedName(_ name: String) -> UInt64 {
        var key: UInt64 = 0
        var count: UInt64 = 0
        for byte in name.utf8 {
            guard count < 7, byte < 0x80 else { return 0 }
            key |= UInt64(byte) << (8 * count)
            count += 1
        }
        return count == 0 ? 0 : key | count << 56
    }

    /// The presence bit of a packed name; every bit for a name that does not pack (key 0), which
    /// may equal a packed name canonically and so must never be ruled out.
    @inline(__always)
    static func presenceBit(_ key: UInt64) -> UInt64 {
        key == 0 ? ~0 : 1 << ((key &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    /// Rebuilds the index (above the threshold; none below it) and ``knownPositions`` after a removal.
    private mutating func rebuildIndex() {
        knownPositions = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        if elements.count <= Self.indexThreshold {
            for position in keys.indices where keys[position] != 0 {
                if let known = TrackerParameter(packedName: keys[position]) { setKnownPosition(known, UInt8(position + 1)) }
            }
        }
        guard elements.count > Self.indexThreshold else {
            index = nil
            return
        }
        var newIndex = [String: Int](minimumCapacity: elements.count)
        for (position, element) in elements.enumerated() { newIndex[element.name] = position }
        index = newIndex
    }
}
