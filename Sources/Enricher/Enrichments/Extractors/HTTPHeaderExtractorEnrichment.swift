import Shared
import Synchronization

/// Parameters of Snowplow's HTTP header extractor
/// (`iglu:com.snowplowanalytics.snowplow.enrichments/http_header_extractor_config/jsonschema/1-0-0`).
public struct HTTPHeaderExtractorConfiguration: Sendable, Equatable {
    /// `headersPattern`: a regular expression that must match the **whole** header name (Java's
    /// `String.matches`), case-sensitive unless the pattern says `(?i)`; e.g. `X-Forwarded-For|Origin`
    /// or `.*`.
    public var headersPattern: String

    public init(headersPattern: String) { self.headersPattern = headersPattern }
}

/// Snowplow's HTTP header extractor (`HttpHeaderExtractorEnrichment`): one
/// `iglu:org.ietf/http_header/jsonschema/1-0-0` entity `{"name", "value"}` per collector header line
/// (`"Name: value"`) whose name matches the pattern. The name is matched untrimmed and emitted trimmed;
/// the value is trimmed; lines without `:` are skipped; order and duplicates are kept.
///
/// The pattern runs through Swift's `Regex` (syntax close to Java's for names: alternation, classes,
/// `.*`, `(?i)`). Per-event cost stays low: `.*` and plain literals/alternations of literals skip the
/// regex engine, and other patterns' answers are memoised per header name (bounded, 4096 names).
///
/// Thread-safe (`Sendable`): the memo is guarded by a `Mutex`.
public final class HTTPHeaderExtractorEnrichment: Sendable {
    /// The output schema.
    public static let schema = "iglu:org.ietf/http_header/jsonschema/1-0-0"

    public let configuration: HTTPHeaderExtractorConfiguration

    private enum Matcher: @unchecked Sendable {
        // `Regex` is not Sendable; it is only used under `memo`'s lock (see `matches`).
        case everything
        case literals(Set<String>)
        case regex(Regex<AnyRegexOutput>)
    }

    private let matcher: Matcher
    /// For `.literals` made only of ASCII names: their UTF-8 bytes (an ASCII name equals a literal
    /// exactly when the bytes are equal); `nil` otherwise.
    private let asciiLiterals: [[UInt8]]?
    private let memo = Mutex<[String: Bool]>([:])
    private static let memoLimit = 4096

    /// Compiles the pattern; an invalid pattern is an `extractor.invalid_header_pattern` error.
    public init(configuration: HTTPHeaderExtractorConfiguration) throws(FreshetError) {
        self.configuration = configuration

        let pattern = configuration.headersPattern
        if pattern == ".*" {
            matcher = .everything
            asciiLiterals = nil
        } else if !pattern.isEmpty, pattern.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "|" }),
            !pattern.hasPrefix("|"), !pattern.hasSuffix("|"), !pattern.contains("||")
        {
            let names = Set(pattern.split(separator: "|").map(String.init))
            matcher = .literals(names)
            asciiLiterals = names.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) ? names.map { Array($0.utf8) } : nil
        } else {
            asciiLiterals = nil
            do {
                matcher = .regex(try Regex(pattern))
            } catch {
                throw FreshetError(
                    .headerExtractorInvalidPattern,
                    "http_header_extractor_config: headersPattern '\(pattern)' is not a valid regular expression",
                    underlying: error
                )
            }
        }
    }

    /// The entities for `headers` (collector `headers` list).
    public func extract(headers: [String]) -> [EnrichmentEntity] {
        var entities: [EnrichmentEntity] = []
        for header in headers {
            if let entity = entity(header) { entities.append(entity) }
        }
        return entities
    }

    /// The entity of one header line, or `nil` when it has no `:` or its name does not match.
    ///
    /// Works on the UTF-8 bytes when the first `:` byte is a `:` character on its own (ASCII bytes on
    /// both sides: no grapheme cluster can join it, and the value starts right after it); otherwise
    /// splits on the first `:` character.
    func entity(_ header: String) -> EnrichmentEntity? {
        var line = header
        let fast: EnrichmentEntity?? = line.withUTF8 { bytes in
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return .some(nil) }
            let before = colon > 0 ? bytes[colon - 1] : 0
            let after = colon + 1 < bytes.count ? bytes[colon + 1] : 0
            guard before < 0x80 && after < 0x80 else { return nil }
            let name = UnsafeBufferPointer(rebasing: bytes[..<colon])
            guard matches(nameBytes: name) else { return .some(nil) }
            return .some(Self.entity(name: name, value: UnsafeBufferPointer(rebasing: bytes[(colon + 1)...])))
        }
        if let fast { return fast }
        guard let colon = header.firstIndex(of: ":") else { return nil }
        let name = String(header[..<colon])
        guard matches(name) else { return nil }
        var nameText = name
        var valueText = header[header.index(after: colon)...]
        return nameText.withUTF8 { name in valueText.withUTF8 { value in Self.entity(name: name, value: value) } }
    }

    /// `{"name": trimmed name, "value": trimmed value}`.
    private static func entity(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> EnrichmentEntity {
        var output: [UInt8] = []
        output.reserveCapacity(name.count + value.count + 24)
        output.append(contentsOf: namePrefix)
        JSONValue.writeString(utf8: trimmed(name), to: &output)
        output.append(contentsOf: valuePrefix)
        JSONValue.writeString(utf8: trimmed(value), to: &output)
        output.append(UInt8(ascii: "}"))
        return EnrichmentEntity(schema: schema, dataJSON: String(decoding: output, as: UTF8.self))
    }

    /// ``matches(_:)`` for a name given as UTF-8 bytes.
    private func matches(nameBytes name: UnsafeBufferPointer<UInt8>) -> Bool {
        switch matcher {
        case .everything: return true
        case .literals where asciiLiterals != nil && name.allSatisfy({ $0 < 0x80 }):
            return asciiLiterals!.contains { $0.elementsEqual(name) }
        default: return matches(String(decoding: name, as: UTF8.self))
        }
    }

    private static let namePrefix: [UInt8] = Array("{\"name\":".utf8)
    private static let valuePrefix: [UInt8] = Array(",\"value\":".utf8)

    /// `true` when the whole `name` matches the pattern.
    public func matches(_ name: String) -> Bool {
        switch matcher {
        case .everything: return true
        case .literals(let names): return names.contains(name)
        case .regex(let regex):
            return memo.withLock { memo in
                if let known = memo[name] { return known }
                let result = (try? regex.wholeMatch(in: name)) != nil
                if memo.count >= Self.memoLimit { memo.removeAll(keepingCapacity: true) }
                memo[name] = result
                return result
            }
        }
    }

    /// Java's `String.trim`: drops leading/trailing characters ≤ U+0020 (one byte each in UTF-8; no
    /// byte of a longer character is ≤ 0x20).
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] <= 0x20 { start += 1 }
        while end > start, bytes[end - 1] <= 0x20 { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}
