/// A self-describing JSON: `{"schema": "iglu:…", "data": …}` — the shape of every Snowplow
/// context entity, unstructured event, wrapper (`contexts`, `unstruct_event`, `payload_data`) and
/// bad row.
public struct SelfDescribingJSON: Sendable, Equatable {
    /// The schema the data claims to follow.
    public var schema: SchemaKey
    /// The data.
    public var data: JSONValue

    /// A self-describing JSON.
    public init(schema: SchemaKey, data: JSONValue) {
        self.schema = schema
        self.data = data
    }

    /// Why a JSON value is not a self-describing JSON.
    public enum StructureError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not a JSON object (the JSON type name is given).
        case notAnObject(String)
        /// No `schema` member.
        case missingSchema
        /// `schema` is not a string (JSON type name given).
        case schemaNotAString(String)
        /// `schema` is not a valid Iglu URI.
        case invalidSchemaURI(String)
        /// No `data` member.
        case missingData
        /// Members other than `schema` and `data`.
        case unexpectedKeys([String])

        /// What was expected.
        public var description: String {
            switch self {
            case .notAnObject(let type): return "expected a self-describing JSON object, got \(type)"
            case .missingSchema: return "self-describing JSON has no schema"
            case .schemaNotAString(let type): return "schema must be a string, got \(type)"
            case .invalidSchemaURI(let uri): return "schema '\(uri)' is not a valid Iglu URI (iglu:vendor/name/format/M-R-A)"
            case .missingData: return "self-describing JSON has no data"
            case .unexpectedKeys(let keys): return "self-describing JSON allows only schema and data, got also \(keys.joined(separator: ", "))"
            }
        }
    }

    /// Reads a self-describing JSON from `json`, checking its structure: an object with exactly a
    /// string `schema` holding a valid Iglu URI and a `data` member.
    public init(validating json: JSONValue) throws(StructureError) {
        guard case .object(let object) = json else { throw .notAnObject(json.typeName) }
        guard let schemaValue = object["schema"] else { throw .missingSchema }
        guard case .string(let uri) = schemaValue else { throw .schemaNotAString(schemaValue.typeName) }
        guard let data = object["data"] else { throw .missingData }
        if object.count != 2 {
            throw .unexpectedKeys(object.keys.filter { $0 != "schema" && $0 != "data" })
        }
        guard let schema = SchemaKey(uri: uri) else { throw .invalidSchemaURI(uri) }
        self.init(schema: schema, data: data)
    }

    /// Reads a self-describing JSON, returning the structure error instead of throwing.
    public static func validate(_ json: JSONValue) -> Result<SelfDescribingJSON, StructureError> {
        Result { () throws(StructureError) in try SelfDescribingJSON(validating: json) }
    }

    /// `{"schema":"iglu:…","data":…}` in that order.
    public var json: JSONValue {
        .object(JSONObject([(key: "schema", value: .string(schema.uri)), (key: "data", value: data)]))
    }

    /// The compact serialisation of ``json``.
    public func serialized() -> String { json.serialized() }
}

extension SelfDescribingJSON {
    /// Like ``validate(_:)``, optionally ignoring members other than `schema` and `data` (as
    /// iglu-core's `SelfDescribingData.parse` does for a POST body wrapper).
    public static func validate(_ json: JSONValue, allowingExtraKeys: Bool) -> Result<SelfDescribingJSON, StructureError> {
        guard allowingExtraKeys, case .object(let object) = json, object.count > 2 else { return validate(json) }
        var trimmed = JSONObject()
        if let schema = object["schema"] { trimmed["schema"] = schema }
        if let data = object["data"] { trimmed["data"] = data }
        return validate(.object(trimmed))
    }
}
