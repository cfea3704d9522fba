import Foundation

/// Why an enriched event could not be rendered as Analytics-SDK JSON: one of its self-describing
/// JSON columns is not what the SDK expects. `messages` lists every problem found.
public struct EnrichedEventJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One message per problem.
    public let messages: [String]

    public var description: String { messages.joined(separator: "; ") }
}

/// The "shredded" JSON form of an enriched event produced by the Snowplow Analytics SDK
/// (`snowplow_analytics_sdk.event_transformer.transform` on the event's TSV line), for debugging,
/// Micro-like inspection and bad-row payloads.
///
/// Rules, matching the Python SDK exactly (so `json.loads(event.analyticsSDKJSON())` equals
/// `transform(event.tsvLine())`):
/// - only non-empty columns appear; string values are the TSV-safe text;
/// - integers and `geo_latitude`/`geo_longitude` are JSON numbers, as are the money decimals, but
///   `se_value` stays a string (the SDK declares it as one);
/// - booleans are `true`/`false`; timestamps are ISO-8601 `yyyy-MM-ddTHH:mm:ss.SSSZ`;
/// - `geo_location` is `"<lat>,<lon>"` when both coordinates are set, placed first;
/// - column 122 appears under the SDK's key `refr_device_tstamp` (not `refr_dvce_tstamp`);
/// - `unstruct_event` becomes `unstruct_event_<vendor>_<name>_<model>` holding the event's `data`;
///   each entity in `contexts` and `derived_contexts` becomes `contexts_<vendor>_<name>_<model>`
///   holding an array of `data` objects, where vendor has `.` → `_`, name is snake_cased and
///   lower-cased, model is the schema's first version number. Entities of one schema within a column
///   are grouped; when `derived_contexts` has a key `contexts` already produced, the SDK's
///   dictionary update replaces the earlier array (kept here for equality with the SDK).
extension EnrichedEvent {
    /// The Analytics-SDK JSON of this event (compact), or the SDK's reasons for rejecting it.
    public func analyticsSDKJSON() -> Result<String, EnrichedEventJSONError> {
        withColumns { Self.analyticsSDKJSON(of: $0, latitude: geoLatitude, longitude: geoLongitude) }
    }

    private static func analyticsSDKJSON(of event: UnsafeRawPointer, latitude: Double?, longitude: Double?) -> Result<String, EnrichedEventJSONError> {
        // Assigning a key again replaces its value in place, as the SDK's dictionary update does.
        var object = JSONObject()
        var errors: [String] = []

        if let latitude, let longitude, latitude.isFinite, longitude.isFinite {
            object["geo_location"] = .string("\(latitude.description),\(longitude.description)")
        }
        for field in EnrichedEventField.all {
            let key = field.index == Self.refrDvceTstampIndex ? "refr_device_tstamp" : field.name
            switch field.type {
            case .string:
                if let value = field.read(String.self, from: event).map(Self.tsvSafe), !value.isEmpty {
                    object[key] = .string(value)
                }
            case .integer:
                if let value = field.read(Int.self, from: event) { object[key] = .number(JSONNumber(value)) }
            case .double:
                if let value = field.read(Double.self, from: event), value.isFinite {
                    object[key] = .number(JSONNumber(unchecked: value.description))
                }
            case .decimal:
                if let value = field.read(SnowplowDecimal.self, from: event) {
                    object[key] =
                        field.index == Self.seValueIndex ? .string(value.text) : .number(JSONNumber(unchecked: value.text))
                }
            case .boolean:
                if let value = field.read(Bool.self, from: event) { object[key] = .bool(value) }
            case .timestamp:
                if let value = field.read(SnowplowTimestamp.self, from: event) {
                    object[key] = .string(value.iso8601String)
                }
            case .json:
                guard let text = field.read(String.self, from: event).map(Self.tsvSafe), !text.isEmpty else { continue }
                let shredded =
                    field.index == Self.unstructEventIndex
                    ? Self.shredUnstructEvent(text, field: field) : Self.shredContexts(text, field: field)
                switch shredded {
                case .success(let entries): for entry in entries { object[entry.key] = entry.value }
                case .failure(let error): errors.append(error.message)
                }
            }
        }
        guard errors.isEmpty else { return .failure(EnrichedEventJSONError(messages: errors)) }
        var writer = JSONWriter(capacity: 4096)
        writer.value(.object(object))
        return .success(writer.string)
    }

    private static let refrDvceTstampIndex = EnrichedEventField.named("refr_dvce_tstamp")?.index ?? -1
    private static let seValueIndex = EnrichedEventField.named("se_value")?.index ?? -1
    private static let unstructEventIndex = EnrichedEventField.named("unstruct_event")?.index ?? -1

    private struct ShredError: Error {
        let message: String
    }

    /// `{"schema": …, "data": [{"schema": …, "data": …}, …]}` → grouped `contexts_…` arrays.
    private static func shredContexts(_ text: String, field: EnrichedEventField) -> Result<JSONObject, ShredError> {
        guard case .success(let document) = JSONParser.pipelineOutput.parse(text) else {
            return .failure(ShredError(message: "\(field): not valid JSON"))
        }
        guard let entities = document["data"]?.arrayValue else {
            return .failure(ShredError(message: "\(field): \"data\" is not an array of self-describing entities"))
        }
        var grouped = JSONObject()
        for entity in entities {
            guard let schema = entity["schema"]?.stringValue, let data = entity["data"] else {
                return .failure(ShredError(message: "\(field): entity without \"schema\" string and \"data\""))
            }
            guard let key = analyticsSDKKey(prefix: "contexts", schema: schema) else {
                return .failure(ShredError(message: "Schema \(schema) does not conform to the Iglu URI pattern"))
            }
            grouped[key] = .array((grouped[key]?.arrayValue ?? []) + [data])
        }
        return .success(grouped)
    }

    /// `{"schema": …, "data": {"schema": …, "data": …}}` → one `unstruct_event_…` member.
    private static func shredUnstructEvent(
        _ text: String, field: EnrichedEventField
    ) -> Result<JSONObject, ShredError> {
        guard case .success(let document) = JSONParser.pipelineOutput.parse(text) else {
            return .failure(ShredError(message: "\(field): not valid JSON"))
        }
        guard let event = document["data"], let schema = event["schema"]?.stringValue else {
            return .failure(ShredError(message: "\(field): \"data\" has no \"schema\" string"))
        }
        guard let data = event["data"] else {
            return .failure(ShredError(message: "Could not extract inner data field from unstructured event"))
        }
        guard let key = analyticsSDKKey(prefix: "unstruct_event", schema: schema) else {
            return .failure(ShredError(message: "Schema \(schema) does not conform to the Iglu URI pattern"))
        }
        return .success([key: data])
    }

    /// The SDK's column name for a schema (`fix_schema`): `<prefix>_<vendor>_<name>_<model>`, or
    /// `nil` when `schema` is not an Iglu URI `iglu:vendor/name/format/M-R-A`.
    static func analyticsSDKKey(prefix: String, schema: String) -> String? {
        var uri = Substring(schema)
        // Python's `$` also matches before one trailing newline.
        if uri.hasSuffix("\n") { uri = uri.dropLast() }
        guard uri.hasPrefix("iglu:") else { return nil }
        let parts = uri.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let (vendor, name, format, version) = (parts[0], parts[1], parts[2], parts[3])
        func isIdentifier(_ part: Substring, allowingDot: Bool) -> Bool {
            !part.isEmpty
                && part.utf8.allSatisfy { byte in
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                        || (allowingDot && byte == UInt8(ascii: "."))
                }
        }
        guard isIdentifier(vendor, allowingDot: true), isIdentifier(name, allowingDot: false),
            isIdentifier(format, allowingDot: false), isSchemaVersion(version)
        else { return nil }

        let vendorKey = vendor.replacingOccurrences(of: ".", with: "_").lowercased()
        // re.sub('([^A-Z_])([A-Z])', r'\1_\2', name): non-overlapping, left to right.
        let nameBytes = Array(name.utf8)
        var snake: [UInt8] = []
        var index = 0
        func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        while index < nameBytes.count {
            let byte = nameBytes[index]
            if index + 1 < nameBytes.count, !isUpper(byte), byte != UInt8(ascii: "_"), isUpper(nameBytes[index + 1]) {
                snake.append(contentsOf: [byte, UInt8(ascii: "_"), nameBytes[index + 1]])
                index += 2
            } else {
                snake.append(byte)
                index += 1
            }
        }
        let nameKey = String(decoding: snake, as: UTF8.self).lowercased()
        let model = version.prefix(while: { $0 != "-" })
        return "\(prefix)_\(vendorKey)_\(nameKey)_\(model)"
    }

    /// `[1-9][0-9]*-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)`
    private static func isSchemaVersion(_ version: Substring) -> Bool {
        let numbers = version.split(separator: "-", omittingEmptySubsequences: false)
        guard numbers.count == 3 else { return false }
        for (position, number) in numbers.enumerated() {
            guard !number.isEmpty, number.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { return false }
            if number.first == "0" && (position == 0 || number.count > 1) { return false }
        }
        return true
    }
}
