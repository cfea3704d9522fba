import CRdKafka

/// The librdkafka that the dynamic loader picked at run time, and the check that refuses one too old.
///
/// Freshet links against the librdkafka headers of the build machine (Debian 12 ships 2.0.2) but runs
/// with whatever `librdkafka.so.1` the loader finds first. Versions before 2.2.0 mis-skip KIP-482 tagged
/// fields (fixed by confluentinc/librdkafka#4278) and cannot even finish the `ApiVersions` handshake
/// with current brokers such as Tansu, so every service calls ``requireSupportedVersion()`` at start
/// and logs ``versionString``.
///
/// Threading: all members are safe to call from any thread; they only read constants of the library.
public enum KafkaRuntime {
    /// The oldest librdkafka Freshet accepts at run time. Default: 2.2.0.
    public static let minimumVersion = KafkaRuntimeVersion(major: 2, minor: 2, patch: 0)

    /// The version of the librdkafka loaded into this process (`rd_kafka_version()`).
    public static var version: KafkaRuntimeVersion { KafkaRuntimeVersion(encoded: rd_kafka_version()) }

    /// The loaded librdkafka's own version text (`rd_kafka_version_str()`, e.g. `2.16.0`), for logging.
    public static var versionString: String { String(cString: rd_kafka_version_str()) }

    /// Throws ``FreshetError/Code/kafkaRuntimeTooOld`` when the loaded librdkafka is older than
    /// ``minimumVersion``. Call it once at service start, before creating producers or consumers.
    public static func requireSupportedVersion() throws {
        try requireSupported(version)
    }

    /// The check behind ``requireSupportedVersion()``, for any version (tests inject old ones).
    ///
    /// The error message names the version found and how to fix the library path.
    public static func requireSupported(_ found: KafkaRuntimeVersion) throws {
        guard found < minimumVersion else { return }
        throw FreshetError(
            .kafkaRuntimeTooOld,
            """
            librdkafka \(found) was loaded at run time, but Freshet needs librdkafka ≥ \(minimumVersion): \
            older versions mis-read KIP-482 tagged fields and cannot talk to current brokers. \
            Fix: put a librdkafka ≥ \(minimumVersion.major).\(minimumVersion.minor) first on LD_LIBRARY_PATH \
            (locally `make stack-up` creates .stack/lib with one: export LD_LIBRARY_PATH=$PWD/.stack/lib); \
            in containers use a base image whose librdkafka is ≥ \(minimumVersion.major).\(minimumVersion.minor) \
            (Ubuntu 24.04 ships 2.3.0, Debian 13 ships 2.8.0).
            """,
            retriable: false
        )
    }
}
