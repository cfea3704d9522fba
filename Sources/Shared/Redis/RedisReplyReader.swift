import CHiredis

/// Owns one hiredis `redisReader`: decodes raw RESP bytes into ``RedisValue``s without a connection,
/// through the same reply conversion a live connection uses. Used to check the decoding against
/// protocol fixtures.
///
/// Not `Sendable`: use one reader from one thread.
final class RedisReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>

    init() throws {
        guard let reader = redisReaderCreate() else {
            throw FreshetError(.redisProtocolError, "hiredis could not allocate a reply reader")
        }
        self.reader = reader
    }

    deinit { redisReaderFree(reader) }

    /// Feeds `bytes` and returns every reply that is now complete, in order. Throws
    /// ``FreshetError/Code/redisProtocolError`` with hiredis' message on malformed input.
    func decode(_ bytes: [UInt8]) throws -> [RedisValue] {
        let fed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { redisReaderFeed(reader, $0.baseAddress, $0.count) }
        }
        guard fed == REDIS_OK else { throw protocolError() }
        var values: [RedisValue] = []
        while true {
            var reply: UnsafeMutableRawPointer?
            guard redisReaderGetReply(reader, &reply) == REDIS_OK else { throw protocolError() }
            guard let reply else { return values }
            values.append(RedisValue(reply: reply.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(reply)
        }
    }

    private func protocolError() -> FreshetError {
        let text = withUnsafeBytes(of: &reader.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return FreshetError(.redisProtocolError, "Malformed Redis reply: \(text)")
    }
}
