/// The software that produced a bad row (`data.processor` of every bad row).
///
/// Freshet's services identify themselves as `freshet-<service>` (``freshet(service:version:)``).
/// The bad-row schemas require `version` to start with `major.minor.patch` and allow at most 32
/// characters, and `artifact` at most 512. A plain `Sendable` value.
public struct BadRowProcessor: Sendable, Hashable {
    /// The artifact name, e.g. `freshet-enricher`.
    public var artifact: String
    /// The artifact version, e.g. `0.1.0`.
    public var version: String

    public init(artifact: String, version: String) {
        self.artifact = artifact
        self.version = version
    }

    /// `freshet-<service>` at `version`, e.g. `freshet(service: "enricher", version: "0.1.0")`.
    public static func freshet(service: String, version: String) -> BadRowProcessor {
        BadRowProcessor(artifact: "freshet-\(service)", version: version)
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("artifact")
        writer.string(artifact)
        writer.key("version")
        writer.string(version)
        writer.endObject()
    }
}
