#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// The log handler of every Freshet service: one line per record on standard error, as text for people
/// or as one JSON object per line for log collectors. Every line carries the timestamp (UTC, ms), the
/// level, the service name and the logger's metadata (`component`, `topic`, `error.code`, …).
///
/// Threading: lines are formatted on the logging thread and written with a single `write(2)` each, so
/// concurrent lines never interleave.
public struct FreshetLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let service: String
    private let format: LogFormat

    public init(service: String, format: LogFormat, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.service = service
        self.format = format
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    /// Installs this handler for the whole process. Call once, first thing in `main`.
    public static func bootstrap(service: String, format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { _ in FreshetLogHandler(service: service, format: format, level: level) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var bytes = format == .json
            ? jsonLine(level: event.level, message: event.message.description, metadata: merged)
            : Array(textLine(level: event.level, message: event.message.description, metadata: merged).utf8)
        bytes.append(0x0A)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }

    private func textLine(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var line = "\(Self.timestamp()) \(level.rawValue.uppercased()) \(service): \(message)"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(Self.render(metadata[key]!))"
        }
        return line
    }

    private func jsonLine(level: Logger.Level, message: String, metadata: Logger.Metadata) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(contentsOf: "{\"ts\":\"\(Self.timestamp())\",\"level\":\"\(level.rawValue)\",\"service\":".utf8)
        Self.appendJSONString(service, to: &line)
        line.append(contentsOf: ",\"msg\":".utf8)
        Self.appendJSONString(message, to: &line)
        for key in metadata.keys.sorted() {
            line.append(UInt8(ascii: ","))
            Self.appendJSONString(key, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.appendJSONString(Self.render(metadata[key]!), to: &line)
        }
        line.append(UInt8(ascii: "}"))
        return line
    }

    private static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return "[" + values.map(render).joined(separator: ",") + "]"
        case .dictionary(let entries):
            return "{" + entries.keys.sorted().map { "\($0)=\(render(entries[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// Appends `text` as a quoted JSON string, escaped like every JSON document Freshet writes
    /// (``JSONValue/writeString(_:to:)``).
    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        JSONValue.writeString(text, to: &out)
    }

    /// `2026-11-27T01:02:03.456Z`
    static func timestamp() -> String {
        SnowplowTimestamp.now().iso8601String
    }
}
