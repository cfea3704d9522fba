import Foundation
import Shared
import Yams

/// Reads the enrichment configuration (`--enrichments`): one place that says which enrichments run and
/// with which parameters. Accepted forms (see docs/enrichments.md):
///
/// - a **directory** of Snowplow enrichment files: every `*.json`, `*.yaml` and `*.yml` in it is one
///   self-describing enrichment configuration (Snowplow's `config/enrichments/` layout);
/// - a **file** (JSON or YAML) holding one enrichment configuration, a list of them, or an object
///   `{"enrichments": [ … ]}`.
///
/// YAML is read into the same JSON model (scalars typed as YAML 1.2 core: booleans, numbers, null).
enum EnrichmentConfigurationFile {
    /// The configurations at `path`, in file/list order.
    static func load(path: String) throws(FreshetError) -> [EnrichmentConfiguration] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FreshetError(.invalidConfiguration, "enrichment configuration \(path) does not exist")
        }
        if isDirectory.boolValue {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            } catch {
                throw FreshetError(.io, "cannot list \(path): \(error)", underlying: error)
            }
            var configurations: [EnrichmentConfiguration] = []
            for name in names where [".json", ".yaml", ".yml"].contains(where: name.hasSuffix) {
                let file = (path as NSString).appendingPathComponent(name)
                configurations += try documents(in: try read(file), source: file)
            }
            return configurations
        }
        return try documents(in: try read(path), source: path)
    }

    /// Parses text (JSON, or YAML when `source` ends in `.yaml`/`.yml`) into configurations.
    static func documents(in text: String, source: String) throws(FreshetError) -> [EnrichmentConfiguration] {
        let json: JSONValue
        if source.hasSuffix(".yaml") || source.hasSuffix(".yml") {
            do {
                json = try Yams.compose(yaml: text).map(Self.json(from:)) ?? .null
            } catch {
                throw FreshetError(.invalidConfiguration, "\(source): not valid YAML: \(error)", underlying: error)
            }
        } else {
            switch JSONParser().parse(text) {
            case .success(let parsed): json = parsed
            case .failure(let error): throw FreshetError(.invalidConfiguration, "\(source): not valid JSON: \(error)")
            }
        }
        let list: [JSONValue]
        switch json {
        case .array(let items): list = items
        case .object(let object) where object["enrichments"] != nil:
            guard case .array(let items)? = object["enrichments"] else {
                throw FreshetError(.invalidConfiguration, "\(source): enrichments must be a list")
            }
            list = items
        default: list = [json]
        }
        var configurations: [EnrichmentConfiguration] = []
        for (position, item) in list.enumerated() {
            configurations.append(try EnrichmentConfiguration(json: item, source: list.count > 1 ? "\(source)[\(position)]" : source))
        }
        return configurations
    }

    private static func read(_ path: String) throws(FreshetError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FreshetError(.io, "cannot read \(path): \(error)", underlying: error)
        }
    }

    /// A YAML node as JSON.
    static func json(from node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil { return .null }
                if let bool = node.bool { return .bool(bool) }
                if let int = node.int { return .number(JSONNumber(int)) }
                if let double = node.float, let number = JSONNumber(double) { return .number(number) }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.map(json(from:)))
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping { object[key.string ?? ""] = json(from: value) }
            return .object(object)
        case .alias:
            return .null
        }
    }
}
