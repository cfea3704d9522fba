/// A librdkafka version number (`major.minor.patch`), as reported by `rd_kafka_version()`.
///
/// A plain value: comparable, printable as `2.16.0`, safe to pass anywhere.
public struct KafkaRuntimeVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The major version (`2` in `2.16.0`).
    public var major: Int
    /// The minor version (`16` in `2.16.0`).
    public var minor: Int
    /// The patch version (`0` in `2.16.0`).
    public var patch: Int

    /// A version from its three parts.
    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// A version from librdkafka's integer encoding `0xMMmmrrpp` (major, minor, revision, pre-release),
    /// the value `rd_kafka_version()` returns; `0x020002ff` is 2.0.2, `0x021000ff` is 2.16.0.
    public init(encoded: Int32) {
        let bits = UInt32(bitPattern: encoded)
        self.init(major: Int((bits >> 24) & 0xFF), minor: Int((bits >> 16) & 0xFF), patch: Int((bits >> 8) & 0xFF))
    }

    /// A version parsed from text such as `2.16.0` (extra parts or suffixes like `-RC1` are ignored);
    /// `nil` when the text does not start with `major.minor`.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 2).map { part in part.prefix { $0.isNumber } }
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        let patch = parts.count > 2 ? Int(parts[2]) ?? 0 : 0
        self.init(major: major, minor: minor, patch: patch)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// `major.minor.patch`, e.g. `2.16.0`.
    public var description: String { "\(major).\(minor).\(patch)" }
}
