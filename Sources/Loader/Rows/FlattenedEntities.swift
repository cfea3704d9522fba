#if canImport(Glibc)
import Glibc
#endif
import Shared

/// The values of the ``EntityField`` columns for one event, read from its `derived_contexts`.
///
/// A member that is missing, `null` or of the wrong type leaves its column empty; a malformed
/// `derived_contexts` leaves all of them empty (the JSON column itself is still loaded as it is).
/// Plain value; `Sendable`.
struct FlattenedEntities: Sendable, Equatable {
    /// One flattened value.
    enum Value: Sendable, Equatable {
        case string(String)
        case count(UInt32)
        case flag(Bool)
        case timestamp(SnowplowTimestamp)
    }

    /// Indexed by ``EntityField/rawValue``; empty when the event carries none of the entities.
    private(set) var values: [Value?] = []

    /// No entity values.
    static let empty = FlattenedEntities()

    /// The value of `field`, if the event's entity had one.
    subscript(field: EntityField) -> Value? {
        values.isEmpty ? nil : values[field.rawValue]
    }

    init() {}

    /// Values indexed by ``EntityField/rawValue`` (``DerivedContextsScanner``).
    init(values: [Value?]) {
        self.values = values
    }

    /// Reads the entities out of the UTF-8 bytes of a `derived_contexts` document, with the same
    /// result as ``init(derivedContexts:)-(String?)``: in one pass over the bytes
    /// (``DerivedContextsScanner``) for usual documents, else with the full JSON parser.
    init(derivedContexts utf8: UnsafeRawBufferPointer) {
        guard Self.mayContainEntity(utf8) else {
            self.init()
            return
        }
        if let scanned = DerivedContextsScanner.entities(in: utf8) {
            self = scanned
            return
        }
        self.init(derivedContexts: String(decoding: utf8, as: UTF8.self))
    }

    /// Reads the entities out of a `derived_contexts` document
    /// (`{"schema":"iglu:…/contexts/…","data":[{"schema":…,"data":{…}},…]}`).
    init(derivedContexts: String?) {
        guard let derivedContexts, Self.mayContainEntity(derivedContexts),
            case .success(let document) = JSONParser().parse(derivedContexts),
            let entities = document["data"]?.arrayValue
        else { return }
        var found: [DerivedEntity: JSONValue] = [:]
        for entity in entities {
            guard let schema = entity["schema"]?.stringValue, let data = entity["data"], data.objectValue != nil else { continue }
            for kind in DerivedEntity.allCases where found[kind] == nil && schema.hasPrefix(kind.schemaPrefix) {
                found[kind] = data
            }
        }
        guard !found.isEmpty else { return }
        var values = [Value?](repeating: nil, count: EntityField.allCases.count)
        for field in EntityField.allCases {
            guard var value = found[field.entity] else { continue }
            for key in field.memberPath {
                guard let member = value[key] else {
                    value = .null
                    break
                }
                value = member
            }
            values[field.rawValue] = Self.convert(value, to: field.kind)
        }
        self.values = values
    }

    private static func convert(_ value: JSONValue, to kind: EntityField.Kind) -> Value? {
        switch kind {
        case .string, .lowCardinalityString:
            if let text = value.stringValue { return text.isEmpty ? nil : .string(text) }
            if let number = value.numberValue { return .string(number.literal) }
            return nil
        case .count:
            guard let number = value.numberValue?.int64Value, number >= 0, number <= Int64(UInt32.max) else { return nil }
            return .count(UInt32(number))
        case .flag:
            return value.boolValue.map(Value.flag)
        case .timestamp:
            guard let text = value.stringValue,
                let timestamp = SnowplowTimestamp(iso8601: text) ?? SnowplowTimestamp(tsv: text)
            else { return nil }
            return .timestamp(timestamp)
        }
    }

    /// A cheap test before parsing: does the text name any of the entities' schemas at all?
    private static func mayContainEntity(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { mayContainEntity(UnsafeRawBufferPointer($0)) }
    }

    private static func mayContainEntity(_ utf8: UnsafeRawBufferPointer) -> Bool {
        needles.contains { contains(utf8, $0) }
    }

    /// Whether `haystack` contains `needle` (`memchr` for the first byte, then `memcmp`).
    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let base = haystack.baseAddress, let first = needle.first, haystack.count >= needle.count else { return false }
        var position = 0
        let last = haystack.count - needle.count
        while position <= last, let hit = memchr(base + position, Int32(first), last - position + 1) {
            let offset = base.distance(to: UnsafeRawPointer(hit))
            if needle.withUnsafeBytes({ memcmp(base + offset, $0.baseAddress!, needle.count) }) == 0 { return true }
            position = offset + 1
        }
        return false
    }

    private static let needles: [[UInt8]] = ["ua_parser_context", "io.freshet/visitor", "/asn/", "bot_detection"].map { Array($0.utf8) }
}
