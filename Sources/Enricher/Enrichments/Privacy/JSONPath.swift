import Shared

/// The subset of JSONPath (Jayway syntax, which Snowplow's PII enrichment uses) supported for
/// pseudonymising fields inside self-describing JSON.
///
/// Supported: the root `$`; child names `.name` and `['name']` / `["name"]` (several, comma-separated:
/// `['a','b']`); array indexes `[0]`, negative `[-1]` (from the end) and lists `[0,2]`; wildcards `.*`
/// and `[*]`; deep scan `..name`, `..*`, `..[0]`, `..['name']`.
/// Not supported (rejected when the configuration is loaded, with a `privacy.invalid_json_path`
/// error): filters `[?(...)]`, slices `[1:3]`, script expressions `[(...)]` and functions (`.length()`).
///
/// Value type; safe to share between threads.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    enum Selector: Sendable, Equatable {
        case names([String])
        case indexes([Int])
        case wildcard
    }

    struct Step: Sendable, Equatable {
        var selector: Selector
        var deep: Bool
    }

    /// The path as configured.
    public let description: String
    let steps: [Step]

    /// Parses `text`; throws `privacy.invalid_json_path` for syntax outside the subset.
    public init(_ text: String) throws(FreshetError) {
        description = text
        let chars = Array(text.unicodeScalars)
        func invalid(_ why: String) -> FreshetError {
            FreshetError(.privacyInvalidJSONPath, "JSON path '\(text)': \(why)")
        }
        guard chars.first == "$" else { throw invalid("must start with '$'") }
        var steps: [Step] = []
        var i = 1
        while i < chars.count {
            var deep = false
            if chars[i] == "." {
                if i + 1 < chars.count, chars[i + 1] == "." {
                    deep = true
                    i += 2
                } else {
                    i += 1
                }
                guard i < chars.count else { throw invalid("ends after '.'") }
                if chars[i] == "[" {
                    guard deep else { throw invalid("unexpected '[' after '.'") }
                } else if chars[i] == "*" {
                    steps.append(Step(selector: .wildcard, deep: deep))
                    i += 1
                    continue
                } else {
                    var j = i
                    while j < chars.count, chars[j] != ".", chars[j] != "[" { j += 1 }
                    let name = String(String.UnicodeScalarView(chars[i..<j]))
                    if name.hasSuffix(")") { throw invalid("functions are not supported") }
                    if name.contains(where: { $0 == " " || $0 == "'" || $0 == "\"" || $0 == "]" || $0 == "?" }) {
                        throw invalid("invalid property name '\(name)'")
                    }
                    steps.append(Step(selector: .names([name]), deep: deep))
                    i = j
                    continue
                }
            }
            guard chars[i] == "[" else { throw invalid("unexpected '\(chars[i])' at \(i)") }
            guard let close = Self.closingBracket(chars, from: i + 1) else { throw invalid("unterminated '['") }
            let inner = String(String.UnicodeScalarView(chars[(i + 1)..<close])).trimmingSpaces()
            steps.append(Step(selector: try Self.bracketSelector(inner, invalid), deep: deep))
            i = close + 1
        }
        self.steps = steps
    }

    private static func closingBracket(_ chars: [Unicode.Scalar], from start: Int) -> Int? {
        var quote: Unicode.Scalar?
        var i = start
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "]" {
                return i
            }
            i += 1
        }
        return nil
    }

    private static func bracketSelector(_ inner: String, _ invalid: (String) -> FreshetError) throws(FreshetError)
        -> Selector
    {
        if inner == "*" { return .wildcard }
        if inner.hasPrefix("?") || inner.hasPrefix("(") { throw invalid("filters and expressions are not supported") }
        if inner.first == "'" || inner.first == "\"" {
            var names: [String] = []
            for part in splitOutsideQuotes(inner) {
                let p = part.trimmingSpaces()
                guard p.count >= 2, let q = p.first, q == "'" || q == "\"", p.last == q else {
                    throw invalid("invalid bracket name list '\(inner)'")
                }
                names.append(String(p.dropFirst().dropLast()))
            }
            return .names(names)
        }
        if inner.contains(":") { throw invalid("array slices are not supported") }
        var indexes: [Int] = []
        for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
            guard let n = Int(String(part).trimmingSpaces()) else { throw invalid("invalid array index '\(inner)'") }
            indexes.append(n)
        }
        guard !indexes.isEmpty else { throw invalid("empty brackets") }
        return .indexes(indexes)
    }

    private static func splitOutsideQuotes(_ s: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for c in s {
            if let q = quote {
                if c == q { quote = nil }
                current.append(c)
            } else if c == "'" || c == "\"" {
                quote = c
                current.append(c)
            } else if c == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts
    }

    /// Applies `transform` to every value the path selects and returns the updated document.
    /// Nothing is added: a path that selects nothing leaves `value` unchanged.
    public func map(_ value: JSONValue, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        apply(steps[...], to: value, transform)
    }

    private func apply(_ steps: ArraySlice<Step>, to value: JSONValue, _ transform: (JSONValue) -> JSONValue)
        -> JSONValue
    {
        guard let step = steps.first else { return transform(value) }
        let rest = steps.dropFirst()
        var result = select(step.selector, in: value) { apply(rest, to: $0, transform) }
        if step.deep {
            // The same deep step again, one level down, in every child.
            result = children(of: result) { apply(steps, to: $0, transform) }
        }
        return result
    }

    /// Replaces each child of `value` that `selector` selects with `update(child)`.
    private func select(_ selector: Selector, in value: JSONValue, _ update: (JSONValue) -> JSONValue) -> JSONValue {
        switch (selector, value) {
        case (.names(let names), .object(var members)):
            for name in names {
                if let child = members[name] { members[name] = update(child) }
            }
            return .object(members)
        case (.indexes(let indexes), .array(var elements)):
            for index in indexes {
                let i = index < 0 ? elements.count + index : index
                if elements.indices.contains(i) { elements[i] = update(elements[i]) }
            }
            return .array(elements)
        case (.wildcard, _):
            return children(of: value, update)
        default:
            return value
        }
    }

    private func children(of value: JSONValue, _ update: (JSONValue) -> JSONValue) -> JSONValue {
        switch value {
        case .object(var members):
            for key in members.keys { members[key] = update(members[key]!) }
            return .object(members)
        case .array(var elements):
            for i in elements.indices { elements[i] = update(elements[i]) }
            return .array(elements)
        default:
            return value
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
