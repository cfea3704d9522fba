/// The pure conversions enrich applies to tracker parameters (§1.4, `Transform.transformMap`), each
/// returning a typed value or a ``ParameterViolation`` naming the field, the value and what was
/// expected.
///
/// Every conversion takes the raw value as an optional: an absent parameter converts to `nil`
/// (a `NULL` enriched field), never to a violation. Pure functions, thread-safe.
public enum ParameterConversion {
    /// The TSV-safe string rule (`ConversionUtils.makeTsvSafe`) applied to every string field:
    /// tabs become four spaces, ASCII control characters (U+0000–U+001F, U+007F, including `\r` and
    /// `\n`) are removed, and an empty result is `nil`.
    public static func tsvSafe(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        var text = value
        let clean = text.withUTF8 { TSVControlBytes.first(in: $0, from: 0) == $0.count }
        if clean { return value }
        var output: [UInt8] = []
        output.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            if byte == 0x09 {
                output.append(contentsOf: [0x20, 0x20, 0x20, 0x20])
            } else if byte >= 0x20, byte != 0x7F {
                output.append(byte)
            }
        }
        return output.isEmpty ? nil : String(decoding: output, as: UTF8.self)
    }

    /// `ms since epoch` → ``TrackerTimestamp`` (`dtm`, `stm`, `ttm`).
    public static func timestamp(_ value: String?, field: String) -> Result<TrackerTimestamp?, ParameterViolation> {
        guard let value else { return .success(nil) }
        return TrackerTimestamp.parse(value).map { $0 }.mapError { ParameterViolation($0, field: field, value: value) }
    }

    /// `WxH` → ``ViewDimensions`` (`res`, `vp`, `ds`).
    public static func dimensions(_ value: String?, field: String) -> Result<ViewDimensions?, ParameterViolation> {
        guard let value else { return .success(nil) }
        return ViewDimensions.parse(value).map { $0 }.mapError { ParameterViolation($0, field: field, value: value) }
    }

    /// `"1"` → `true`, `"0"` → `false`, anything else a violation (`cookie`, `f_*`), as
    /// `ConversionUtils.stringToBooleanLikeJByte`.
    public static func boolean(_ value: String?, field: String) -> Result<Bool?, ParameterViolation> {
        switch value {
        case nil: return .success(nil)
        case "1": return .success(true)
        case "0": return .success(false)
        case let value?:
            return .failure(ParameterViolation(.init("1 or 0 (Boolean-like byte)"), field: field, value: value))
        }
    }

    /// A 32-bit integer as `ConversionUtils.stringToJInteger` reads it (`tid`, `vid`, `ti_qu`,
    /// `pp_*`): optional sign and ASCII digits; the literal `null` (any case, a legacy JavaScript
    /// tracker bug) is `nil`.
    public static func integer(_ value: String?, field: String) -> Result<Int32?, ParameterViolation> {
        guard let value, value.lowercased() != "null" else { return .success(nil) }
        guard let number = JavaNumber.parseInt32(value) else {
            return .failure(ParameterViolation(.init("a 32-bit integer"), field: field, value: value))
        }
        return .success(number)
    }

    /// A decimal as ``TrackerDecimal`` (`se_va`, `tr_tt`, `tr_tx`, `tr_sh`, `ti_pr`); the literal
    /// `null` (any case) is `nil`.
    public static func decimal(_ value: String?, field: String) -> Result<TrackerDecimal?, ParameterViolation> {
        guard let value, value.lowercased() != "null" else { return .success(nil) }
        return TrackerDecimal.parse(value).map { $0 }.mapError { ParameterViolation($0, field: field, value: value) }
    }

    /// A UUID in canonical `8-4-4-4-12` hexadecimal form, any case, returned lower-cased (`eid`,
    /// `sid`) — `ConversionUtils.validateUuid`, which rejects non-canonical forms Java would parse.
    public static func uuid(_ value: String?, field: String) -> Result<String?, ParameterViolation> {
        guard let value else { return .success(nil) }
        var text = value
        // `nil`: not a canonical UUID; `false`: already lower-case (the value is returned as is).
        let lowered: [UInt8]?? = text.withUTF8 { utf8 in
            guard utf8.count == 36 else { return nil }
            var upper = false
            for position in 0..<36 {
                let byte = utf8[position]
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                } else {
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): break
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): upper = true
                    default: return nil
                    }
                }
            }
            guard upper else { return .some(nil) }
            return .some(utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") ? $0 + 0x20 : $0 })
        }
        guard let lowered else {
            return .failure(ParameterViolation(.init("a UUID (8-4-4-4-12 hexadecimal digits)"), field: field, value: value))
        }
        guard let lowered else { return .success(value) }
        return .success(String(decoding: lowered, as: UTF8.self))
    }

    /// The `ip` parameter as `MiscEnrichments.extractIp`: the first token when split on `,`, `|` or
    /// space (e.g. an `X-Forwarded-For` list), then TSV-safe. Never fails.
    public static func ipAddress(_ value: String?) -> String? {
        guard let value else { return nil }
        var end = value.utf8.startIndex
        while end < value.utf8.endIndex {
            let byte = value.utf8[end]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: " ") { break }
            end = value.utf8.index(after: end)
        }
        return tsvSafe(String(value[..<end]))
    }

    /// The event type (`e`); an unknown code is a violation "not recognized as an event type".
    public static func eventType(_ value: String?, field: String = "e") -> Result<TrackerEventType?, ParameterViolation> {
        guard let value else { return .success(nil) }
        let type = TrackerEventType(code: value)
        guard type.isKnown else {
            return .failure(ParameterViolation(.init("not recognized as an event type"), field: field, value: value))
        }
        return .success(type)
    }

    /// The platform (`p`); an unknown code is a violation "not recognized as a tracking platform".
    public static func platform(_ value: String?, field: String = "p") -> Result<TrackerPlatform?, ParameterViolation> {
        guard let value else { return .success(nil) }
        let platform = TrackerPlatform(code: value)
        guard platform.isKnown else {
            return .failure(ParameterViolation(.init("not recognized as a tracking platform"), field: field, value: value))
        }
        return .success(platform)
    }
}
