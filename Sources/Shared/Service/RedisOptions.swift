import ArgumentParser
import Logging

/// The Redis options of the enricher (visitor profiles, sessions, duplicate detection).
public struct RedisOptions: ParsableArguments, Sendable {
    /// Default: `127.0.0.1`.
    @Option(help: "Redis host.") public var redisHost = "127.0.0.1"
    /// Default: `6379`.
    @Option(help: "Redis port.") public var redisPort = 6379
    /// Default: none.
    @Option(help: "Redis password (AUTH).") public var redisPassword: String?
    /// Default: `0`.
    @Option(help: "Redis database number (SELECT).") public var redisDatabase = 0
    /// Default: `4`.
    @Option(help: "Connections to Redis.") public var redisConnections = 4

    public init() {}

    public var configuration: RedisConfiguration {
        RedisConfiguration(host: redisHost, port: redisPort, database: redisDatabase, password: redisPassword, poolSize: max(1, redisConnections))
    }

    /// A client and the `/ready` check that Redis answers `PING`.
    public func startRedis(logger: Logger) -> (RedisClient, ReadinessCheck) {
        let client = RedisClient(configuration: configuration, logger: logger)
        return (client, ReadinessCheck("redis") { try await client.ping() })
    }
}

/// The ClickHouse options of the loader.
public struct ClickHouseOptions: ParsableArguments, Sendable {
    /// Default: `http://127.0.0.1:8123`.
    @Option(help: "ClickHouse HTTP endpoint.") public var clickhouseURL = "http://127.0.0.1:8123"
    /// Default: `default`.
    @Option(help: "ClickHouse user.") public var clickhouseUser = "default"
    /// Default: empty.
    @Option(help: "ClickHouse password.") public var clickhousePassword = ""
    /// Default: `default`.
    @Option(help: "ClickHouse database holding Freshet's tables.") public var clickhouseDatabase = "default"

    public init() {}

    public var configuration: ClickHouseConfiguration {
        ClickHouseConfiguration(url: clickhouseURL, user: clickhouseUser, password: clickhousePassword, database: clickhouseDatabase)
    }

    /// A client and the `/ready` check that ClickHouse answers `/ping`.
    public func startClickHouse(logger: Logger) -> (ClickHouseClient, ReadinessCheck) {
        let client = ClickHouseClient(configuration: configuration, logger: logger)
        return (client, ReadinessCheck("clickhouse") { try await client.ping() })
    }
}
