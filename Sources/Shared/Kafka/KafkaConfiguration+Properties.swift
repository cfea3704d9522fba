// The one place where Freshet's Kafka configuration becomes librdkafka property names and values.

extension KafkaProducerConfiguration {
    /// The librdkafka properties, in the order they are applied (``additionalProperties`` last).
    var librdkafkaProperties: [(key: String, value: String)] {
        var properties: [(key: String, value: String)] = [
            ("bootstrap.servers", bootstrapServers.joined(separator: ",")),
            ("client.id", clientID),
            ("acks", acknowledgements.rawValue),
            ("enable.idempotence", idempotence ? "true" : "false"),
            ("compression.codec", compression.rawValue),
            ("linger.ms", String(linger.wholeMilliseconds)),
            ("batch.num.messages", String(maximumBatchRecords)),
            ("queue.buffering.max.messages", String(maximumQueuedRecords)),
            ("queue.buffering.max.kbytes", String(maximumQueuedKilobytes)),
            ("message.timeout.ms", String(deliveryTimeout.wholeMilliseconds)),
        ]
        properties += additionalProperties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return properties
    }
}

extension KafkaConsumerConfiguration {
    /// The librdkafka properties, in the order they are applied (``additionalProperties`` before the
    /// properties the commit semantics depend on).
    var librdkafkaProperties: [(key: String, value: String)] {
        var properties: [(key: String, value: String)] = [
            ("bootstrap.servers", bootstrapServers.joined(separator: ",")),
            ("group.id", groupID),
            ("client.id", clientID),
            ("auto.offset.reset", offsetReset.rawValue),
            ("enable.auto.commit", autoCommit ? "true" : "false"),
            ("auto.commit.interval.ms", String(autoCommitInterval.wholeMilliseconds)),
            ("session.timeout.ms", String(sessionTimeout.wholeMilliseconds)),
            ("heartbeat.interval.ms", String(heartbeatInterval.wholeMilliseconds)),
            ("max.poll.interval.ms", String(maximumPollInterval.wholeMilliseconds)),
            ("enable.partition.eof", "false"),
        ]
        properties += additionalProperties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        // Offsets are stored only for records the application marked processed.
        properties.append(("enable.auto.offset.store", "false"))
        return properties
    }
}

extension KafkaAdminConfiguration {
    /// The librdkafka properties of the admin client's handle.
    var librdkafkaProperties: [(key: String, value: String)] {
        [("bootstrap.servers", bootstrapServers.joined(separator: ",")), ("client.id", clientID)]
            + additionalProperties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
