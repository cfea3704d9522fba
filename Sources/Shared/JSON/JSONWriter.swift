/// A streaming writer of compact JSON (no whitespace, like circe's `noSpaces`) into a byte buffer, used
/// for bad rows, log lines and the Analytics-SDK rendering of enriched events: documents are written
/// member by member without building a ``JSONValue`` tree first; a ``JSONValue`` can be embedded with
/// ``value(_:)``.
///
/// Output is exactly that of ``JSONValue/write(to:)``: strings go through ``JSONValue/writeString(_:to:)``
/// (`"` `\` and U+0000–U+001F escaped, everything else raw UTF-8). Commas are placed automatically;
/// the caller is responsible for balancing `begin…`/`end…` and for writing a key before each value
/// inside an object.
///
/// A value type to be used by one thread at a time.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    /// The document written so far.
    var string: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"key":`; the next call must write the value.
    mutating func key(_ key: String) {
        separate()
        JSONValue.writeString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        JSONValue.writeString(value, to: &bytes)
        needsComma = true
    }

    /// Writes the string, or `null` for `nil`.
    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func int(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    mutating func int(_ value: Int?) {
        if let value { int(value) } else { null() }
    }

    /// Writes a finite double in Swift's shortest round-trip form (`0.1`, `1e-05`, `37.0`);
    /// non-finite values, which JSON cannot express, are written as `null`.
    mutating func double(_ value: Double) {
        guard value.isFinite else { return null() }
        separate()
        bytes.append(contentsOf: value.description.utf8)
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Writes a JSON value (a parsed document, or one built in memory).
    mutating func value(_ node: JSONValue) {
        separate()
        node.write(to: &bytes)
        needsComma = true
    }
}
