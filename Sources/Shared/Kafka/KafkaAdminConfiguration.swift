/// How a ``KafkaAdmin`` client connects.
public struct KafkaAdminConfiguration: Sendable {
    /// `host:port` of one or more brokers to bootstrap from (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// Identifies this client in broker logs (`client.id`). Default: `freshet-admin`.
    public var clientID: String = "freshet-admin"
    /// Extra librdkafka properties, applied last. Default: empty.
    public var additionalProperties: [String: String] = [:]

    /// A configuration with the documented defaults for the given brokers.
    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }
}
