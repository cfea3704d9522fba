/// Typed shortcuts for the few commands the services use directly. Everything else goes through
/// ``RedisClient/command(_:)-([RedisArgument])`` or ``RedisClient/pipeline(_:)``.
extension RedisClient {
    /// `GET key`: the value's bytes, or `nil` when the key does not exist.
    public func get(_ key: String) async throws -> [UInt8]? {
        try await command("GET", RedisArgument(key)).bytes
    }

    /// `SET key value [PX milliseconds]`: stores `value`, expiring after `expiry` when given.
    public func set(_ key: String, to value: RedisArgument, expiry: Duration? = nil) async throws {
        var arguments: [RedisArgument] = ["SET", RedisArgument(key), value]
        if let expiry { arguments += ["PX", RedisArgument(Self.milliseconds(expiry))] }
        try await command(arguments)
    }

    /// `HINCRBY key field increment`: the field's new value.
    @discardableResult
    public func hashIncrement(_ key: String, field: String, by increment: Int64 = 1) async throws -> Int64 {
        let reply = try await command("HINCRBY", RedisArgument(key), RedisArgument(field), RedisArgument(increment))
        guard let value = reply.integer else {
            throw FreshetError(.redisProtocolError, "HINCRBY answered \(reply) instead of an integer")
        }
        return value
    }

    /// `HSET key field value [field value …]`: the number of fields that were new.
    @discardableResult
    public func hashSet(_ key: String, fields: [(field: String, value: RedisArgument)]) async throws -> Int64 {
        var arguments: [RedisArgument] = ["HSET", RedisArgument(key)]
        for (field, value) in fields { arguments += [RedisArgument(field), value] }
        return try await command(arguments).integer ?? 0
    }

    /// `EXPIRE key seconds` (`PEXPIRE` for sub-second precision): `true` when the key exists.
    @discardableResult
    public func expire(_ key: String, after duration: Duration) async throws -> Bool {
        try await command("PEXPIRE", RedisArgument(key), RedisArgument(Self.milliseconds(duration))).integer == 1
    }

    /// `DEL key …`: the number of keys removed.
    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int64 {
        guard !keys.isEmpty else { return 0 }
        return try await command(["DEL"] + keys.map { RedisArgument($0) }).integer ?? 0
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(seconds * 1000 + attoseconds / 1_000_000_000_000_000, 1)
    }
}
