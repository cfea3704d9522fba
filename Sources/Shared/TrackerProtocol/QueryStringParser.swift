/// One decoded `name=value` pair of a querystring.
public struct QueryParameter: Sendable, Equatable {
    /// The decoded name.
    public var name: String
    /// The decoded value; `""` both for `name=` and for a bare `name` without `=`.
    public var value: String

    /// A pair.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Why a querystring could not be decoded. Becomes a `collector_payload_format_violation` bad row
/// (enrich fails the whole payload when its loader cannot parse the querystring).
public struct QueryStringViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public enum Kind: Sendable, Equatable {
        /// `%` not followed by two hexadecimal digits.
        case invalidPercentEscape
        /// The percent-decoded bytes of a name or value are not valid UTF-8.
        case invalidUTF8
    }

    /// What was wrong.
    public let kind: Kind
    /// The raw (still encoded) `name=value` segment that failed.
    public let segment: String
    /// Byte offset of the problem in the whole querystring.
    public let offset: Int

    /// Always `"querystring"`: the field named in the bad row.
    public var field: String { "querystring" }

    /// What a valid querystring looks like, for the bad row.
    public var expectation: String {
        switch kind {
        case .invalidPercentEscape: return "percent escapes of the form %XX with two hexadecimal digits"
        case .invalidUTF8: return "percent-encoded bytes forming valid UTF-8"
        }
    }

    /// A message naming the segment and offset.
    public var description: String { "\(expectation); got '\(segment)' at offset \(offset)" }
}

/// Parser for `application/x-www-form-urlencoded` text: tracker querystrings (`/i?…`, tp2 GET,
/// `/r/tp2?…`) and form bodies.
///
/// Rules (those of Apache `URLEncodedUtils`, which enrich uses, except that errors are reported):
/// - pairs are separated by `&`; empty segments (`a=1&&b=2`) are skipped;
/// - the first `=` splits name from value; a segment without `=` has the value `""`;
/// - `+` decodes to a space, `%XX` to the byte `XX`, in names and values alike; the bytes are UTF-8;
/// - a `%` not followed by two hex digits, or decoded bytes that are not UTF-8, fail the whole
///   querystring with a ``QueryStringViolation`` (enrich's `URI.create` rejects the former as a
///   collector-payload format violation; its decoder would silently turn the latter into U+FFFD);
/// - characters `java.net.URI` would reject raw (space, `"`, `<`, `|`, …) are accepted as they are.
///
/// Duplicate names: ``parse(_:)`` returns every pair in order; ``TrackerParameters`` keeps the
/// **last** value, as enrich does (`List[(name, value)].toMap` in `Adapter.toMap`, where a later
/// pair replaces an earlier one).
///
/// Works on the UTF-8 bytes; pure and thread-safe.
public enum QueryStringParser {
    /// Decodes `querystring` (without the leading `?`) into its pairs, in order.
    public static func parse(_ querystring: String) -> Result<[QueryParameter], QueryStringViolation> {
        var querystring = querystring
        return querystring.withUTF8 { parse(bytes: $0) }
    }

    /// Decodes a querystring given as UTF-8 bytes.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Result<[QueryParameter], QueryStringViolation> {
        var parameters: [QueryParameter] = []
        parameters.reserveCapacity(32)
        var scratch: [UInt8] = []
        var segmentStart = 0
        let end = bytes.count
        while segmentStart <= end {
            var segmentEnd = segmentStart
            var equals = -1
            // Whether the name / the value holds a '%' or '+' (found in the same pass).
            var nameEncoded = false
            var valueEncoded = false
            while segmentEnd < end {
                let byte = bytes[segmentEnd]
                if byte == UInt8(ascii: "&") { break }
                if byte == UInt8(ascii: "%") || byte == UInt8(ascii: "+") {
                    if equals < 0 { nameEncoded = true } else { valueEncoded = true }
                } else if equals < 0, byte == UInt8(ascii: "=") {
                    equals = segmentEnd
                }
                segmentEnd += 1
            }
            if segmentEnd > segmentStart {
                let nameEnd = equals >= 0 ? equals : segmentEnd
                let valueStart = equals >= 0 ? equals + 1 : segmentEnd
                do {
                    let name = try decodeComponent(bytes, segmentStart, nameEnd, encoded: nameEncoded, &scratch)
                    let value = try decodeComponent(bytes, valueStart, segmentEnd, encoded: valueEncoded, &scratch)
                    parameters.append(QueryParameter(name: name, value: value))
                } catch {
                    let segment = String(decoding: UnsafeBufferPointer(rebasing: bytes[segmentStart..<segmentEnd]), as: UTF8.self)
                    return .failure(QueryStringViolation(kind: error.kind, segment: segment, offset: error.offset))
                }
            }
            segmentStart = segmentEnd + 1
        }
        return .success(parameters)
    }

    private struct ComponentError: Error {
        let kind: QueryStringViolation.Kind
        let offset: Int
    }

    /// Decodes `bytes[start..<end]`: `+` → space, `%XX` → byte, then UTF-8.
    /// `encoded`: the component holds a `%` or `+` (else it is taken as it is).
    private static func decodeComponent(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, encoded needsDecoding: Bool, _ scratch: inout [UInt8]
    ) throws(ComponentError) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard needsDecoding else {
            // Bytes of a Swift String are valid UTF-8, and a sub-range split at ASCII bytes stays valid.
            return String(decoding: raw, as: UTF8.self)
        }
        scratch.removeAll(keepingCapacity: true)
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                scratch.append(0x20)
                index += 1
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < end else {
                    throw ComponentError(kind: .invalidPercentEscape, offset: index)
                }
                guard let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                    throw ComponentError(kind: .invalidPercentEscape, offset: index)
                }
                scratch.append(high << 4 | low)
                index += 3
            } else {
                scratch.append(byte)
                index += 1
            }
        }
        // ASCII bytes are valid UTF-8 as they are: only other text needs the (generic) validation.
        if scratch.allSatisfy({ $0 < 0x80 }) { return String(decoding: scratch, as: UTF8.self) }
        guard let text = String(validating: scratch, as: UTF8.self) else {
            throw ComponentError(kind: .invalidUTF8, offset: start)
        }
        return text
    }

    @inline(__always) private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
