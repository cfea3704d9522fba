import CRdKafka

extension RDKafkaClient {
    /// The outcome librdkafka reported for one topic of an admin request.
    struct TopicResult {
        var topic: String
        var error: rd_kafka_resp_err_t
        var message: String
    }

    /// Creates topics (`rd_kafka_CreateTopics`) and waits for the per-topic results. Blocking: call it
    /// from a ``BlockingExecutor``. The temporary C objects of the request live and die in this call.
    func createTopics(
        _ topics: [(name: String, partitions: Int32, replicationFactor: Int32)], timeoutMilliseconds: Int32
    ) throws -> [TopicResult] {
        var errorText = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for topic in topics {
            guard
                let newTopic = rd_kafka_NewTopic_new(
                    topic.name, topic.partitions, topic.replicationFactor, &errorText, errorText.count)
            else {
                throw FreshetError(
                    .kafkaAdminFailed, "invalid topic '\(topic.name)': \(Self.text(errorText))", retriable: false)
            }
            newTopics.append(newTopic)
        }
        return try withAdminRequest(RD_KAFKA_ADMIN_OP_CREATETOPICS, timeoutMilliseconds: timeoutMilliseconds) {
            handle, options, queue in
            rd_kafka_CreateTopics(handle, &newTopics, newTopics.count, options, queue)
        } results: { event in
            var count = 0
            let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
            return Self.topicResults(results, count: count)
        }
    }

    /// Deletes topics (`rd_kafka_DeleteTopics`) and waits for the per-topic results. Blocking.
    func deleteTopics(_ names: [String], timeoutMilliseconds: Int32) throws -> [TopicResult] {
        var deleteTopics: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
        defer { for topic in deleteTopics { rd_kafka_DeleteTopic_destroy(topic) } }
        return try withAdminRequest(RD_KAFKA_ADMIN_OP_DELETETOPICS, timeoutMilliseconds: timeoutMilliseconds) {
            handle, options, queue in
            rd_kafka_DeleteTopics(handle, &deleteTopics, deleteTopics.count, options, queue)
        } results: { event in
            var count = 0
            let results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count)
            return Self.topicResults(results, count: count)
        }
    }

    /// Sends one admin request on a private queue and reads its result event.
    private func withAdminRequest<T>(
        _ operation: rd_kafka_admin_op_t,
        timeoutMilliseconds: Int32,
        send: (OpaquePointer, OpaquePointer, OpaquePointer) -> Void,
        results: (OpaquePointer) throws -> T
    ) throws -> T {
        try withHandle { handle in
            guard let queue = rd_kafka_queue_new(handle) else {
                throw FreshetError(.kafkaAdminFailed, "rd_kafka_queue_new returned NULL", retriable: false)
            }
            defer { rd_kafka_queue_destroy(queue) }
            guard let options = rd_kafka_AdminOptions_new(handle, operation) else {
                throw FreshetError(.kafkaAdminFailed, "rd_kafka_AdminOptions_new returned NULL", retriable: false)
            }
            defer { rd_kafka_AdminOptions_destroy(options) }
            var errorText = [CChar](repeating: 0, count: 512)
            _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errorText, errorText.count)
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMilliseconds, &errorText, errorText.count)
            send(handle, options, queue)
            // The request itself times out after timeoutMilliseconds; allow a little more for the event.
            guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 1000) else {
                throw FreshetError(
                    .kafkaBrokerUnreachable,
                    "Kafka admin request got no answer within \(timeoutMilliseconds) ms; check the brokers",
                    retriable: true
                )
            }
            defer { rd_kafka_event_destroy(event) }
            let error = rd_kafka_event_error(event)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                let reason = rd_kafka_event_error_string(event).map { String(cString: $0) }
                throw FreshetError.kafka(.kafkaAdminFailed, "Kafka admin request failed", error: error, reason: reason)
            }
            return try results(event)
        }
    }

    private static func topicResults(_ results: UnsafeMutablePointer<OpaquePointer?>?, count: Int) -> [TopicResult] {
        guard let results else { return [] }
        return (0..<count).compactMap { index in
            guard let result = results[index] else { return nil }
            return TopicResult(
                topic: String(cString: rd_kafka_topic_result_name(result)),
                error: rd_kafka_topic_result_error(result),
                message: rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? ""
            )
        }
    }

    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
