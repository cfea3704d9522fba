/// An Iglu schema criterion such as `iglu:com.acme/user/jsonschema/1-*-*` (iglu-scala-core
/// `WildcardSchemaCriterion`): vendor, name and format must be equal; each of MODEL, REVISION, ADDITION
/// either equals the schema's or is `*`.
///
/// Value type; safe to share between threads.
public struct WildcardSchemaCriterion: Sendable, Equatable, CustomStringConvertible {
    public var vendor: String
    public var name: String
    public var format: String
    /// `nil` = `*`.
    public var model: Int?
    public var revision: Int?
    public var addition: Int?

    public var description: String {
        "iglu:\(vendor)/\(name)/\(format)/\(model.map(String.init) ?? "*")-\(revision.map(String.init) ?? "*")-\(addition.map(String.init) ?? "*")"
    }

    /// Parses a criterion; `nil` when it does not have the canonical form (MODEL cannot start with 0).
    public init?(_ text: String) {
        guard let parts = Self.split(text, allowWildcards: true) else { return nil }
        (vendor, name, format, model, revision, addition) = parts
    }

    /// `true` when `schemaURI` (a full `iglu:vendor/name/format/M-R-A` URI) matches.
    public func matches(schemaURI: String) -> Bool {
        guard let key = Self.split(schemaURI, allowWildcards: false) else { return false }
        return key.0 == vendor && key.1 == name && key.2 == format
            && (model == nil || model == key.3) && (revision == nil || revision == key.4)
            && (addition == nil || addition == key.5)
    }

    private static func split(_ text: String, allowWildcards: Bool)
        -> (String, String, String, Int?, Int?, Int?)?
    {
        guard text.hasPrefix("iglu:") else { return nil }
        let path = text.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false)
        guard path.count == 4 else { return nil }
        func isIdentifier(_ s: Substring, allowDot: Bool) -> Bool {
            !s.isEmpty && s.utf8.allSatisfy { c in
                URLParser.isAlphaNumeric(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                    || (allowDot && c == UInt8(ascii: "."))
            }
        }
        guard isIdentifier(path[0], allowDot: true), isIdentifier(path[1], allowDot: false),
            isIdentifier(path[2], allowDot: false)
        else { return nil }
        let version = path[3].split(separator: "-", omittingEmptySubsequences: false)
        guard version.count == 3 else { return nil }
        var numbers: [Int?] = []
        for (i, part) in version.enumerated() {
            if part == "*" && allowWildcards {
                numbers.append(nil)
                continue
            }
            guard !part.isEmpty, part.utf8.allSatisfy(URLParser.isDigit), part.count < 10,
                !(part.first == "0" && (part.count > 1 || i == 0)), let n = Int(part)
            else { return nil }
            numbers.append(n)
        }
        return (String(path[0]), String(path[1]), String(path[2]), numbers[0], numbers[1], numbers[2])
    }
}
