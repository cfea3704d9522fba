import Shared

/// One enrichment's configuration as Snowplow writes it — a self-describing JSON
/// `{"schema": "iglu:<vendor>/<name>/jsonschema/<version>", "data": {"name", "vendor", "enabled",
/// "parameters": {…}}}` — so a Snowplow user's enrichment files work unchanged.
///
/// A plain `Sendable` value.
struct EnrichmentConfiguration: Sendable {
    /// The configuration schema, e.g. `iglu:com.snowplowanalytics.snowplow/anon_ip/jsonschema/1-0-1`.
    var schema: SchemaKey
    /// `data.name`, e.g. `anon_ip`; defaults to the schema name.
    var name: String
    /// `data.enabled`. Default: `true`.
    var enabled: Bool
    /// `data.parameters`. Default: `{}`.
    var parameters: JSONValue
    /// Where it was read from, for error messages.
    var source: String

    /// The identity written into `enrichment_failures` bad rows.
    var identity: BadRow.EnrichmentFailures.Enrichment {
        BadRow.EnrichmentFailures.Enrichment(schemaKey: schema.uri, identifier: name)
    }

    /// Reads one configuration document.
    init(json: JSONValue, source: String) throws(FreshetError) {
        let document: SelfDescribingJSON
        switch SelfDescribingJSON.validate(json) {
        case .success(let decoded): document = decoded
        case .failure(let error):
            throw FreshetError(.invalidConfiguration, "\(source): not a Snowplow enrichment configuration (\(error))")
        }
        guard case .object(let data) = document.data else {
            throw FreshetError(.invalidConfiguration, "\(source): data must be an object with name, enabled and parameters")
        }
        self.schema = document.schema
        self.name = data["name"]?.stringValue ?? document.schema.name
        self.enabled = data["enabled"]?.boolValue ?? true
        self.parameters = data["parameters"] ?? .object(JSONObject())
        self.source = source
    }
}
