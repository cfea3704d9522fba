extension CollectorPayload {
    /// Walks the Thrift bytes of a payload without building it and returns where the `networkUserId`
    /// string (field 410) lies, or `nil` when the payload has none.
    ///
    /// For the shipper, which keys each Kafka record by the network user id but forwards the bytes
    /// unchanged: no string is allocated. The walk checks the same structure ``decode(thrift:)`` does
    /// (every field well-formed up to the closing STOP, the five always-written fields present), so a
    /// payload accepted here also decodes. The range may hold invalid UTF-8; it is used as raw key bytes.
    ///
    /// Stateless; safe from any thread.
    public static func networkUserIdRange(inThrift bytes: UnsafeRawBufferPointer) -> Result<
        Range<Int>?, CollectorPayloadDecodingError
    > {
        var reader = ThriftBinaryReader(bytes)
        var range: Range<Int>?
        var seen: UInt8 = 0  // bit per always-written field: schema, ipAddress, timestamp, encoding, collector
        let string = ThriftFieldType.string.rawValue
        do throws(CollectorPayloadDecodingError) {
            while true {
                let (tag, id) = try reader.readFieldHeader()
                if tag == ThriftFieldType.stop.rawValue { break }
                switch (id, tag) {
                case (FieldID.networkUserId, string):
                    let count = try reader.readLength(minimumUnitSize: 1)
                    range = reader.offset..<(reader.offset + count)
                    try reader.skipBytes(count)
                case (FieldID.headers, ThriftFieldType.list.rawValue):
                    let tagOffset = reader.offset
                    let elementTag = try reader.readByte()
                    let count = try reader.readLength(minimumUnitSize: 4)
                    if count > 0, elementTag != string {
                        throw CollectorPayloadDecodingError.wrongHeaderElementType(offset: tagOffset, tag: elementTag)
                    }
                    for _ in 0..<count { try reader.skipBytes(try reader.readLength(minimumUnitSize: 1)) }
                case (FieldID.schema, string): seen |= 1; try reader.skip(tag: tag, depth: maximumSkipDepth)
                case (FieldID.ipAddress, string): seen |= 2; try reader.skip(tag: tag, depth: maximumSkipDepth)
                case (FieldID.timestamp, ThriftFieldType.i64.rawValue):
                    seen |= 4; try reader.skip(tag: tag, depth: maximumSkipDepth)
                case (FieldID.encoding, string): seen |= 8; try reader.skip(tag: tag, depth: maximumSkipDepth)
                case (FieldID.collector, string): seen |= 16; try reader.skip(tag: tag, depth: maximumSkipDepth)
                default: try reader.skip(tag: tag, depth: maximumSkipDepth)
                }
            }
        } catch {
            return .failure(error)
        }
        let required: [(UInt8, Int16, String)] = [
            (1, FieldID.schema, "schema"), (2, FieldID.ipAddress, "ipAddress"), (4, FieldID.timestamp, "timestamp"),
            (8, FieldID.encoding, "encoding"), (16, FieldID.collector, "collector"),
        ]
        for (bit, id, name) in required where seen & bit == 0 {
            return .failure(.missingRequiredField(id: id, name: name))
        }
        return .success(range)
    }
}
