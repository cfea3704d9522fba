/// A JSON document as a Swift value: the model used for tracker payloads, self-describing JSON,
/// bad rows and enriched contexts.
///
/// Why not `JSONSerialization`: on Linux it turns numbers into `NSNumber` (losing the literal, e.g.
/// `1.0` vs `1`, and the precision of large integers), loses object key order, accepts some
/// non-standard input and is slow for per-event work. This type keeps
/// - object members in document order (``JSONObject``),
/// - numbers as their validated literal text (``JSONNumber``), so re-serialising is lossless,
/// - strings as Swift `String`s (escapes decoded).
///
/// Parse with ``JSONParser``; serialise compactly with ``serialized()`` (or stream a document that
/// embeds values with `JSONWriter`).
/// Equality is structural and order-sensitive for object members; numbers compare by literal.
/// Values are immutable `Sendable` values, safe to share between threads.
public enum JSONValue: Sendable, Equatable {
    /// `null`
    case null
    /// `true` / `false`
    case bool(Bool)
    /// A number, kept as its literal text.
    case number(JSONNumber)
    /// A string (escapes already decoded).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with members in document order.
    case object(JSONObject)

    /// The string payload, or `nil` if this is not a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The array payload, or `nil` if this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object payload, or `nil` if this is not an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The number payload, or `nil` if this is not a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The boolean payload, or `nil` if this is not a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// `true` for `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member `key` when this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// Nesting depth: 0 for scalars, 1 + the deepest child for arrays and objects
    /// (so `{}` and `[]` have depth 1, `{"a":[1]}` depth 2).
    public var depth: Int {
        switch self {
        case .array(let items): return 1 + (items.map(\.depth).max() ?? 0)
        case .object(let object): return 1 + (object.map(\.value.depth).max() ?? 0)
        default: return 0
        }
    }

    /// A short name of the JSON type (`"null"`, `"boolean"`, `"number"`, `"string"`, `"array"`,
    /// `"object"`), for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByIntegerLiteral
{
    /// A `.string`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A `.bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `.null`.
    public init(nilLiteral: ()) { self = .null }
    /// An `.array`.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An `.object` with members in literal order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
    /// A `.number` holding the integer's decimal literal.
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
}

extension JSONValue: CustomStringConvertible {
    /// The compact serialisation.
    public var description: String { serialized() }
}
