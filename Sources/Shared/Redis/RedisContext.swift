import CHiredis

/// Owns one hiredis `redisContext`: one blocking TCP connection to Redis.
///
/// Every method blocks the calling thread on the network, so it must only be called from the owning
/// ``RedisConnection``'s `BlockingExecutor`. Once ``isBroken`` is `true` (an I/O or protocol error),
/// hiredis refuses further use and the owner must drop this context and connect a new one.
///
/// `@unchecked Sendable`: hiredis contexts are not thread-safe, but the only owner (a
/// ``RedisConnection``) touches it solely from its serial executor, one call at a time.
final class RedisContext: @unchecked Sendable {
    private let context: UnsafeMutablePointer<redisContext>

    /// Connects to `configuration.host:port`, enables TCP keepalive, sets the command timeout, and sends
    /// `AUTH` and `SELECT` when configured.
    init(configuration: RedisConfiguration) throws {
        guard let context = redisConnectWithTimeout(configuration.host, Int32(configuration.port), timeval(configuration.connectTimeout)) else {
            throw FreshetError(.redisConnectionFailed, "hiredis could not allocate a connection to \(configuration.address)", retriable: true)
        }
        self.context = context
        if context.pointee.err != 0 {
            throw FreshetError(
                .redisConnectionFailed,
                "Cannot connect to Redis at \(configuration.address): \(Self.errorText(of: context)); is the server running?",
                retriable: true
            )
        }
        _ = redisEnableKeepAlive(context)
        if redisSetTimeout(context, timeval(configuration.commandTimeout)) != REDIS_OK {
            throw FreshetError(.redisConnectionFailed, "Cannot set the command timeout on \(configuration.address): \(Self.errorText(of: context))", retriable: true)
        }
        var setup: [[RedisArgument]] = []
        if let password = configuration.password { setup.append(["AUTH", RedisArgument(password)]) }
        if configuration.database != 0 { setup.append(["SELECT", RedisArgument(configuration.database)]) }
        if !setup.isEmpty {
            for (command, reply) in zip(setup, try roundTrip(setup)) {
                if let message = reply.errorMessage {
                    throw FreshetError(
                        .redisAuthenticationFailed,
                        "Redis at \(configuration.address) refused \(command[0]): \(message); check the Redis password and database settings"
                    )
                }
            }
        }
    }

    deinit { redisFree(context) }

    /// `true` once the connection failed; it cannot be used again.
    var isBroken: Bool { context.pointee.err != 0 }

    /// Sends all `commands` in one write, then reads exactly one reply per command, in order.
    ///
    /// Throws ``FreshetError/Code/redisIOFailed`` (retriable) or ``FreshetError/Code/redisProtocolError``
    /// when the connection breaks; the context is then ``isBroken``. Error replies are returned, not thrown.
    func roundTrip(_ commands: [[RedisArgument]]) throws -> [RedisValue] {
        for command in commands where Self.append(command, to: context) != REDIS_OK {
            throw connectionError(while: "queueing \(Self.name(of: command))")
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for command in commands {
            var reply: UnsafeMutableRawPointer?
            guard redisGetReply(context, &reply) == REDIS_OK, let reply else {
                throw connectionError(while: "waiting for the reply to \(Self.name(of: command))")
            }
            defer { freeReplyObject(reply) }
            replies.append(RedisValue(reply: reply.assumingMemoryBound(to: redisReply.self)))
        }
        return replies
    }

    // MARK: - Private

    private func connectionError(while action: String) -> FreshetError {
        let text = Self.errorText(of: context)
        switch context.pointee.err {
        case REDIS_ERR_PROTOCOL, REDIS_ERR_OOM:
            return FreshetError(.redisProtocolError, "Redis connection failed while \(action): \(text)", retriable: true)
        default:
            return FreshetError(
                .redisIOFailed,
                "Redis connection broke while \(action): \(text); the command may or may not have run, the next call reconnects",
                retriable: true
            )
        }
    }

    /// Queues one command in hiredis' output buffer (`redisAppendFormattedCommand`, with ``formatted(_:)``);
    /// nothing is sent yet.
    private static func append(_ command: [RedisArgument], to context: UnsafeMutablePointer<redisContext>) -> Int32 {
        formatted(command).withUnsafeBytes { bytes in
            redisAppendFormattedCommand(context, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
    }

    /// `command` in the Redis protocol, as hiredis' `redisFormatCommandArgv` writes it: `*<count>\r\n`, then
    /// `$<length>\r\n<bytes>\r\n` per argument. Written in one buffer here, the arguments are copied once
    /// (`redisAppendCommandArgv` needed them gathered, then formatted them into a second buffer).
    static func formatted(_ command: [RedisArgument]) -> [UInt8] {
        var capacity = 16
        for argument in command { capacity += argument.bytes.count + 24 }
        var output: [UInt8] = []
        output.reserveCapacity(capacity)
        output.append(UInt8(ascii: "*"))
        output.append(contentsOf: String(command.count).utf8)
        output.append(contentsOf: [0x0D, 0x0A])
        for argument in command {
            output.append(UInt8(ascii: "$"))
            output.append(contentsOf: String(argument.bytes.count).utf8)
            output.append(contentsOf: [0x0D, 0x0A])
            output.append(contentsOf: argument.bytes)
            output.append(contentsOf: [0x0D, 0x0A])
        }
        return output
    }

    private static func name(of command: [RedisArgument]) -> String {
        command.first.map { $0.description.uppercased() } ?? "(empty command)"
    }

    private static func errorText(of context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: &context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return bytes.isEmpty ? "hiredis error \(context.pointee.err)" : String(decoding: bytes, as: UTF8.self)
        }
    }
}

extension timeval {
    /// A `timeval` of `duration` (never negative).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let clampedSeconds = max(seconds, 0)
        let microseconds = seconds < 0 ? 0 : attoseconds / 1_000_000_000_000
        self.init(tv_sec: Int(clampedSeconds), tv_usec: Int(microseconds))
    }
}
