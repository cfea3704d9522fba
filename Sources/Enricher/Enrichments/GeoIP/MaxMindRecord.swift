/// The data record a lookup found, not yet decoded.
///
/// Read single fields with a ``MaxMindPath`` (`["country", "iso_code"]`, `["subdivisions", -1, "names",
/// "en"]`): only the maps and arrays on the way are walked and only the value at the end is decoded, so
/// no dictionary is built per lookup. ``decode()`` builds the whole value.
///
/// Threading: a value type; safe to use from any thread. Lifetime: keeps its database alive.
public struct MaxMindRecord: Sendable {
    /// The database the record lives in.
    public let database: MaxMindDatabase
    /// The record's offset in the data section; equal offsets mean the same record.
    public let offset: Int

    /// Decodes the whole record.
    /// - Throws: `geoip.invalid_database` when the data is corrupt.
    public func decode() throws -> MaxMindValue {
        try database.data.decode(at: offset)
    }

    /// Decodes the value at `path`, or `nil` when the record has nothing there.
    public func value(at path: MaxMindPath) throws -> MaxMindValue? {
        guard let target = try locate(path) else { return nil }
        return try database.data.decode(at: target)
    }

    /// The string at `path`; `nil` when absent or not a string.
    public func string(at path: MaxMindPath) throws -> String? {
        guard let target = try locate(path) else { return nil }
        return try database.data.string(at: target)
    }

    /// The number (double, float or integer) at `path` as a `Double`; `nil` when absent or not a number.
    public func double(at path: MaxMindPath) throws -> Double? {
        guard let target = try locate(path) else { return nil }
        return try database.data.double(at: target)
    }

    /// The unsigned integer at `path`; `nil` when absent, not an integer, or beyond `UInt64`.
    public func unsignedInteger(at path: MaxMindPath) throws -> UInt64? {
        guard let target = try locate(path) else { return nil }
        return try database.data.unsignedInteger(at: target)
    }

    /// Calls `body` with each key (UTF-8 bytes) of the record's top-level map and the record of its value,
    /// in file order, decoding nothing else: reading several fields costs one walk over the map.
    /// Does nothing when the record is not a map.
    public func forEachEntry(_ body: (UnsafeBufferPointer<UInt8>, MaxMindRecord) throws -> Void) throws {
        let data = database.data
        let (map, _, _) = try data.resolvedField(at: offset)
        guard map.type == .map else { return }
        var position = map.payload
        for _ in 0..<map.size {
            let (keyField, keyOffset, afterPointer) = try data.resolvedField(at: position)
            guard keyField.type == .utf8String else {
                throw data.corrupt("map key is a \(keyField.type), not a string", at: keyOffset)
            }
            try data.requireBytes(keyField.payload, keyField.size, for: "a map key")
            let start = data.sectionStart + keyField.payload
            let valueOffset = afterPointer ?? keyField.payload + keyField.size
            try data.file.withBytes(start, keyField.size) { try body($0, MaxMindRecord(database: database, offset: valueOffset)) }
            position = try data.skip(valueOffset)
        }
    }

    /// The data-section offset of the value at `path` (unresolved: it may be a pointer), or `nil`.
    func locate(_ path: MaxMindPath) throws -> Int? {
        var position = offset
        for element in path.elements {
            switch element {
            case .key(let key):
                let found = try key.withUnsafeBufferPointer { try database.data.mapValue(at: position, key: $0) }
                guard let found else { return nil }
                position = found
            case .index(let index):
                guard let found = try database.data.arrayElement(at: position, index: index) else { return nil }
                position = found
            }
        }
        return position
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are exactly `text`'s UTF-8 bytes.
    @inline(__always)
    func equals(_ text: StaticString) -> Bool {
        guard count == text.utf8CodeUnitCount else { return false }
        let other = text.utf8Start
        for index in 0..<count where self[index] != other[index] { return false }
        return true
    }
}

/// A way into a record: map keys and array indexes (negative indexes count from the end, `-1` is the
/// last element). Build paths once (e.g. as `static let`) and reuse them: building one allocates.
public struct MaxMindPath: Sendable, Hashable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// One step of a path.
    public enum Element: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        /// A map key, as UTF-8 bytes.
        case key([UInt8])
        /// An array index; negative counts from the end.
        case index(Int)

        public init(stringLiteral value: String) { self = .key(Array(value.utf8)) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    /// The steps, outermost first.
    public var elements: [Element]

    public init(_ elements: [Element]) { self.elements = elements }
    public init(arrayLiteral elements: Element...) { self.elements = elements }

    public var description: String {
        elements.map { element in
            switch element {
            case .key(let key): return String(decoding: key, as: UTF8.self)
            case .index(let index): return "[\(index)]"
            }
        }.joined(separator: ".")
    }
}
