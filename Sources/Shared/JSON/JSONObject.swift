/// A JSON object whose members keep their order (document order when parsed, insertion order when
/// built).
///
/// Keys are unique: assigning an existing key replaces its value in place (the parser does the same
/// for duplicate keys in a document — the last value wins, at the first key's position, as circe
/// does). Lookup is a linear scan for small objects and a hash index for larger ones.
/// Equality is order-sensitive.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member.
    public typealias Member = (key: String, value: JSONValue)

    /// The members in order.
    public private(set) var members: [Member] = []
    /// Position of each key, built only once the object grows past `indexThreshold` members.
    private var index: [String: Int]? = nil
    private static let indexThreshold = 32

    /// An empty object.
    public init() {}

    /// An object with `members` in order (a later duplicate key replaces the earlier value).
    public init(_ members: some Sequence<Member>) {
        self.members.reserveCapacity(members.underestimatedCount)
        for member in members { self[member.key] = member.value }
    }

    /// An object with the literal's members in order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    /// Number of members.
    public var count: Int { members.count }
    /// `true` when there are no members.
    public var isEmpty: Bool { members.isEmpty }
    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The value for `key`; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                members.append((key, newValue))
                if index != nil {
                    index?[key] = members.count - 1
                } else if members.count > Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    /// Iterates the members in order.
    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (left, right) in zip(lhs.members, rhs.members) where left.key != right.key || left.value != right.value {
            return false
        }
        return true
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    private mutating func rebuildIndex() {
        guard members.count > Self.indexThreshold else {
            index = nil
            return
        }
        var newIndex = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { newIndex[member.key] = position }
        index = newIndex
    }
}
