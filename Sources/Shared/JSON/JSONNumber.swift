/// A JSON number kept as its literal text, validated against the RFC 8259 grammar
/// (`-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`).
///
/// Keeping the literal makes parse → serialise lossless (no `1.0` → `1`, no precision loss on large
/// integers) and defers numeric conversion to the code that needs it.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, e.g. `-12.5e3`.
    public let literal: String

    /// Wraps a literal, or returns `nil` if it is not a valid JSON number.
    public init?(literal: String) {
        var text = literal
        let valid = text.withUTF8 { JSONNumber.isValidLiteral($0) }
        guard valid else { return nil }
        self.literal = literal
    }

    /// The number for an integer.
    public init(_ value: Int) { self.literal = String(value) }

    /// The number for a finite double (shortest round-tripping form); `nil` for NaN and infinities,
    /// which JSON cannot represent.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 1e15 {
            self.literal = String(Int64(value))
        } else {
            self.literal = "\(value)"
        }
    }

    /// Already-validated literal (used by the parser).
    init(unchecked literal: String) { self.literal = literal }

    /// The value as a 64-bit integer when the literal is an integer in range, else `nil`.
    public var int64Value: Int64? { Int64(literal) }

    /// The value as a `Double` (may round).
    public var doubleValue: Double? { Double(literal) }

    /// The literal.
    public var description: String { literal }

    /// `true` if `bytes` is exactly one JSON number literal.
    static func isValidLiteral(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        return scanLiteral(bytes, &index) && index == bytes.count
    }

    /// `true` if `bytes` (UTF-8) is exactly one JSON number literal.
    @inline(__always)
    static func isValidLiteral(_ bytes: UnsafeRawBufferPointer) -> Bool {
        isValidLiteral(bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// Advances `index` over one number literal starting at `index`; `false` if the grammar is violated.
    static func scanLiteral(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Bool {
        let end = bytes.count
        var i = index
        if i < end, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end else { return false }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else if bytes[i] >= UInt8(ascii: "1"), bytes[i] <= UInt8(ascii: "9") {
            while i < end, isDigit(bytes[i]) { i += 1 }
        } else {
            return false
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < end, isDigit(bytes[i]) { i += 1 }
            guard i > start else { return false }
        }
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let start = i
            while i < end, isDigit(bytes[i]) { i += 1 }
            guard i > start else { return false }
        }
        index = i
        return true
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
