import CRdKafka

extension RDKafkaClient {
    /// Hands one record to librdkafka (`rd_kafka_produceva`, copying key, value and headers) with
    /// `opaque` as its message opaque. Non-blocking; returns librdkafka's error code, e.g.
    /// `RD_KAFKA_RESP_ERR__QUEUE_FULL` when the local queue is full.
    func produce(_ record: KafkaProducerRecord, opaque: UnsafeMutableRawPointer) -> rd_kafka_resp_err_t {
        // topic, value, key, opaque, flags, partition (UA = partitioner's choice) + one entry per header
        let fixedCount = 6
        return withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: fixedCount + record.headers.count) {
            vus in
            record.topic.withCString { topic in
                record.value.withUnsafeBytes { value in
                    withOptionalBytes(record.key) { key in
                        vus[0] = rd_kafka_vu_t(vtype: RD_KAFKA_VTYPE_TOPIC, u: .init(cstr: topic))
                        vus[1] = rd_kafka_vu_t(
                            vtype: RD_KAFKA_VTYPE_VALUE,
                            u: .init(
                                mem: .init(
                                    ptr: value.count > 0 ? UnsafeMutableRawPointer(mutating: value.baseAddress) : nil,
                                    size: value.count))
                        )
                        vus[2] = rd_kafka_vu_t(
                            vtype: RD_KAFKA_VTYPE_KEY,
                            u: .init(
                                mem: .init(
                                    ptr: key.map { UnsafeMutableRawPointer(mutating: $0.baseAddress) } ?? nil,
                                    size: key?.count ?? 0))
                        )
                        vus[3] = rd_kafka_vu_t(vtype: RD_KAFKA_VTYPE_OPAQUE, u: .init(ptr: opaque))
                        vus[4] = rd_kafka_vu_t(vtype: RD_KAFKA_VTYPE_MSGFLAGS, u: .init(i: RD_KAFKA_MSG_F_COPY))
                        vus[5] = rd_kafka_vu_t(
                            vtype: RD_KAFKA_VTYPE_PARTITION, u: .init(i32: record.partition ?? RD_KAFKA_PARTITION_UA))
                        return withHeaders(record.headers[...], into: vus, at: fixedCount) { count in
                            withHandle { handle in
                                guard let error = rd_kafka_produceva(handle, vus.baseAddress, count) else {
                                    return RD_KAFKA_RESP_ERR_NO_ERROR
                                }
                                defer { rd_kafka_error_destroy(error) }
                                return rd_kafka_error_code(error)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Runs `body` with the bytes of `bytes`, or `nil` when there are none.
private func withOptionalBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// Fills `vus` from `index` on with one `RD_KAFKA_VTYPE_HEADER` per header, keeping every name and
/// value pointer valid while `body` runs; `body` gets the total number of entries.
private func withHeaders<T>(
    _ headers: ArraySlice<KafkaHeader>, into vus: UnsafeMutableBufferPointer<rd_kafka_vu_t>, at index: Int,
    _ body: (Int) -> T
) -> T {
    guard let header = headers.first else { return body(index) }
    return header.name.withCString { name in
        withOptionalBytes(header.value) { value in
            vus[index] = rd_kafka_vu_t(
                vtype: RD_KAFKA_VTYPE_HEADER,
                u: .init(header: .init(name: name, val: value?.baseAddress, size: value.map { $0.count } ?? 0))
            )
            return withHeaders(headers.dropFirst(), into: vus, at: index + 1, body)
        }
    }
}
