/// Querystring parameters looked up by name: the last occurrence of a name wins (Scala's `toMap`) and a
/// missing value reads as `""` — the form campaign attribution and cross-navigation look names up in.
///
/// A page URL has a handful of parameters, so a lookup is a search from the end: hashing every name
/// into a dictionary cost more than the dozen lookups per event it served. Above 32 parameters a
/// dictionary of last positions is built, so a hostile URL with thousands of them stays linear.
public struct QueryValues: Sendable {
    /// The parameters in order, repeats included.
    public let parameters: [URLQueryParameter]
    private let lastPositions: [String: Int]?

    public init(_ parameters: [URLQueryParameter] = []) {
        self.parameters = parameters
        if parameters.count > 32 {
            var positions = [String: Int](minimumCapacity: parameters.count)
            for (position, parameter) in parameters.enumerated() { positions[parameter.name] = position }
            lastPositions = positions
        } else {
            lastPositions = nil
        }
    }

    /// `true` when there are no parameters.
    public var isEmpty: Bool { parameters.isEmpty }

    /// The last value of `name` (`""` for a pair without `=`), `nil` when the name is absent.
    public subscript(name: String) -> String? {
        if let lastPositions { return lastPositions[name].map { parameters[$0].value ?? "" } }
        for position in parameters.indices.reversed() where parameters[position].name == name {
            return parameters[position].value ?? ""
        }
        return nil
    }
}

/// One `name=value` pair of a querystring, decoded.
public struct URLQueryParameter: Sendable, Equatable {
    /// The decoded name (never empty).
    public var name: String
    /// The decoded value; `nil` when the pair had no `=` (e.g. `?flag`).
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// Querystring parsing as Snowplow does it for the page URL (Apache `URLEncodedUtils.parse`, used by
/// `ConversionUtils.extractQuerystring`), the input of campaign attribution and cross-navigation.
///
/// Pairs are separated by `&` **or `;`**; the name ends at the first `=`, the value may contain
/// further `=`; pairs with an empty name are dropped; `+` is a space and `%XX` escapes are decoded as
/// UTF-8 (see ``PercentDecoding`` for malformed input). Order and duplicates are preserved.
///
/// Pure functions; safe to call from any thread.
public enum QueryString {
    /// Parses a raw querystring (without the leading `?`).
    public static func parameters(_ rawQuery: String) -> [URLQueryParameter] {
        var result: [URLQueryParameter] = []
        var copy = rawQuery
        copy.withUTF8 { b in
            let n = b.count
            var i = 0
            while i < n {
                var j = i
                while j < n, b[j] != UInt8(ascii: "="), b[j] != UInt8(ascii: "&"), b[j] != UInt8(ascii: ";") { j += 1 }
                let name = trimmed(b, i, j)
                var value: String?
                if j < n, b[j] == UInt8(ascii: "=") {
                    var k = j + 1
                    while k < n, b[k] != UInt8(ascii: "&"), b[k] != UInt8(ascii: ";") { k += 1 }
                    value = PercentDecoding.decode(b[trimmedRange(b, j + 1, k)], plusAsSpace: true)
                    j = k
                }
                if !name.isEmpty {
                    result.append(URLQueryParameter(name: PercentDecoding.decode(b[name], plusAsSpace: true), value: value))
                }
                i = j + 1
            }
        }
        return result
    }

    /// Apache's tokenizer drops leading and trailing blanks (space, tab, CR, LF) around names and values.
    private static func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
        trimmedRange(b, start, end)
    }

    private static func trimmedRange(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
        var s = start
        var e = end
        while s < e, isBlank(b[s]) { s += 1 }
        while e > s, isBlank(b[e - 1]) { e -= 1 }
        return s..<e
    }

    private static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
}
