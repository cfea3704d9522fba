import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// Our producer and consumer checked against an implementation nobody here wrote: the Python
/// `confluent-kafka` client from the project virtualenv.
@Suite("Kafka interoperability with confluent-kafka (Python)", .timeLimit(.minutes(2)))
struct KafkaInteroperabilityTests {
    @Test func pythonReadsWhatWeProduce() async throws {
        try await KafkaTestCluster.withTopic(partitions: 2, "kafka_interop") { topic in
            let producer = try KafkaTestCluster.producer()
            let records = (0..<20).map {
                KafkaProducerRecord(
                    topic: topic, key: "k\($0)", value: "v\($0)", headers: [KafkaHeader(name: "n", value: "\($0)")])
            }
            try await producer.send(records).requireFullyDelivered()
            await producer.shutdown()
            let script = """
                import json, sys, time
                from confluent_kafka import Consumer
                c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": sys.argv[3], "auto.offset.reset": "earliest",
                              "session.timeout.ms": 6000, "max.poll.interval.ms": 30000})
                c.subscribe([sys.argv[2]])
                out, end = [], time.time() + 60
                while len(out) < 20 and time.time() < end:
                    m = c.poll(0.5)
                    if m is None or m.error(): continue
                    out.append({"key": m.key().decode(), "value": m.value().decode(),
                                "headers": [[k, v.decode()] for k, v in (m.headers() or [])]})
                c.close()
                print(json.dumps(out))
                """
            let output = try ChildProcess.python(
                script,
                arguments: [
                    KafkaTestCluster.brokers.joined(separator: ","), topic, TestEnvironment.uniqueName("pygroup"),
                ]
            )
            try #require(output.status == 0, "\(output.stderrText)")
            let read = try JSONDecoder().decode([PythonRecord].self, from: output.stdout)
            #expect(read.count == 20)
            #expect(
                Set(read)
                    == Set((0..<20).map { PythonRecord(key: "k\($0)", value: "v\($0)", headers: [["n", "\($0)"]]) })
            )
        }
    }

    @Test func weReadWhatPythonProduces() async throws {
        try await KafkaTestCluster.withTopic(partitions: 1, "kafka_interop") { topic in
            let script = """
                import sys
                from confluent_kafka import Producer
                p = Producer({"bootstrap.servers": sys.argv[1]})
                for i in range(10):
                    p.produce(sys.argv[2], key=b"pk%d" % i, value=b"pv%d" % i, headers=[("h", b"%d" % i)])
                assert p.flush(30) == 0
                """
            let output = try ChildProcess.python(
                script, arguments: [KafkaTestCluster.brokers.joined(separator: ","), topic])
            try #require(output.status == 0, "\(output.stderrText)")
            let consumer = try KafkaTestCluster.consumer(group: TestEnvironment.uniqueName("group"))
            try consumer.subscribe(topics: [topic])
            let read = try await KafkaTestCluster.read(10, from: consumer)
            try await consumer.close()
            #expect(read.map { KafkaTestCluster.text($0.key) } == (0..<10).map { "pk\($0)" })
            #expect(read.map { KafkaTestCluster.text($0.value) } == (0..<10).map { "pv\($0)" })
            #expect(read.map(\.headers) == (0..<10).map { [KafkaHeader(name: "h", value: "\($0)")] })
        }
    }

    private struct PythonRecord: Codable, Hashable {
        var key: String
        var value: String
        var headers: [[String]]
    }
}
