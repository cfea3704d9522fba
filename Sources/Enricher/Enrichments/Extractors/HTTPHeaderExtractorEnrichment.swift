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
    private let memo = Mutex<[String: Bool]>([:])
    private static let memoLimit = 4096

    /// Compiles the pattern; an invalid pattern is an `extractor.invalid_header_pattern` error.
    public init(configuration: HTTPHeaderExtractorConfiguration) throws(FreshetError) {
        self.configuration = configuration
        let pattern = configuration.headersPattern
        if pattern == ".*" {
            matcher = .everything
        } else if !pattern.isEmpty, pattern.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "|" }),
            !pattern.hasPrefix("|"), !pattern.hasSuffix("|"), !pattern.contains("||")
        {
            matcher = .literals(Set(pattern.split(separator: "|").map(String.init)))
        } else {
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
    /// both sides: no grapheme cluster can join it); otherwise splits on the first `:` character.
    func entity(_ header: String) -> EnrichmentEntity? {
        let utf8 = header.utf8
        guard let colonByte = utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let before = colonByte > utf8.startIndex ? utf8[utf8.index(before: colonByte)] : 0
        let afterIndex = utf8.index(after: colonByte)
        let after = afterIndex < utf8.endIndex ? utf8[afterIndex] : 0
        let colon: String.Index
        if before < 0x80 && after < 0x80 {
            colon = colonByte
        } else {
            guard let found = header.firstIndex(of: ":") else { return nil }
            colon = found
        }
        let name = String(header[..<colon])
        guard matches(name) else { return nil }
        let value = header[header.index(after: colon)...]
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count + 24)
        output.append(contentsOf: Self.namePrefix)
        var nameText = name
        nameText.withUTF8 { JSONValue.writeString(utf8: Self.trimmed($0), to: &output) }
        output.append(contentsOf: Self.valuePrefix)
        var valueText = value
        valueText.withUTF8 { JSONValue.writeString(utf8: Self.trimmed($0), to: &output) }
        output.append(UInt8(ascii: "}"))
        return EnrichmentEntity(schema: Self.schema, dataJSON: String(decoding: output, as: UTF8.self))
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
