import CHiredis

extension RedisValue {
    /// Copies a hiredis reply tree into a value. The reply stays owned by the caller.
    init(reply: UnsafePointer<redisReply>) {
        let reply = reply.pointee
        switch reply.type {
        case REDIS_REPLY_STATUS:
            self = .simpleString(Self.text(reply))
        case REDIS_REPLY_ERROR:
            self = .error(Self.text(reply))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(reply.integer))
        case REDIS_REPLY_STRING:
            self = .bulkString(Self.bytes(reply))
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(reply.elements)
            if let element = reply.element {
                for index in 0..<reply.elements {
                    elements.append(element[index].map { RedisValue(reply: $0) } ?? .null)
                }
            }
            self = .array(elements)
        default:
            self = .error("hiredis returned a reply of unknown type \(reply.type)")
        }
    }

    private static func bytes(_ reply: redisReply) -> [UInt8] {
        guard let str = reply.str, reply.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: str, count: reply.len))
    }

    private static func text(_ reply: redisReply) -> String {
        String(decoding: bytes(reply), as: UTF8.self)
    }
}
