import FreshetTestSupport
import Testing

@testable import Shared

/// ``MessagePack`` against Redis' own Lua `cmsgpack` (the library the visitor-profile script uses): what
/// the writer encodes, `cmsgpack.unpack` reads back value for value; what `cmsgpack.pack` encodes, the
/// reader reads.
@Suite struct MessagePackRedisTests {
    static let redis = RedisClient(
        configuration: RedisConfiguration(host: TestEnvironment.redisHost, port: TestEnvironment.redisPort, poolSize: 1))

    /// Integers at every boundary of the encodings, strings of every length class, nested arrays.
    static let sample: [MessagePack.Value] = {
        let integers: [Int64] = [
            0, 1, 127, 128, 255, 256, 65535, 65536, 4_294_967_295, 4_294_967_296, 1_764_000_000_123, -1, -32, -33, -128,
            -129, -32768, -32769, -2_147_483_648, -2_147_483_649, 9_007_199_254_740_992,
        ]
        let strings = [0, 1, 31, 32, 255, 256, 65535, 65536].map { length in
            MessagePack.Value.string((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) })
        }
        let nested = MessagePack.Value.array((0..<17).map { .integer(Int64($0)) })
        return integers.map { .integer($0) } + strings + [nested, .array([]), .string(Array("naïve \u{1F}\0".utf8))]
    }()

    @Test func cmsgpackReadsWhatTheWriterWrites() async throws {
        var writer = MessagePack.Writer()
        let start = writer.beginArray()
        for value in Self.sample { writer.append(value) }
        writer.endArray(startingAt: start, count: Self.sample.count)
        // Lua describes each element as it sees it: its type, then the number or the string's length and
        // bytes (or the nested array's length).
        let script = RedisScript(
            """
            local t = cmsgpack.unpack(ARGV[1])
            local out = {}
            for i = 1, #t do
              local v = t[i]
              if type(v) == 'number' then out[#out + 1] = 'n' .. string.format('%.0f', v)
              elseif type(v) == 'string' then out[#out + 1] = 's' .. #v .. ':' .. redis.sha1hex(v)
              else out[#out + 1] = 't' .. #v end
            end
            return out
            """)
        let reply = try await Self.redis.evalScript(script, arguments: [RedisArgument(bytes: writer.bytes)])
        let described = try #require(reply.array).map { $0.string ?? "?" }
        let expected: [String] = Self.sample.map { value in
            switch value {
            case .integer(let number): "n\(number)"
            case .string(let bytes): "s\(bytes.count):\(SHA1.hexDigest(of: bytes))"
            case .array(let elements): "t\(elements.count)"
            case .nil: "?"
            }
        }
        #expect(described == expected)
    }

    @Test func theReaderReadsWhatCmsgpackWrites() async throws {
        var writer = MessagePack.Writer()
        writer.append(.array(Self.sample))
        // Unpacked into Lua tables and packed again by cmsgpack: the same values come back.
        let script = RedisScript("return cmsgpack.pack(cmsgpack.unpack(ARGV[1]))")
        let reply = try await Self.redis.evalScript(script, arguments: [RedisArgument(bytes: writer.bytes)])
        var reader = MessagePack.Reader(try #require(reply.bytes))
        #expect(reader.value() == .array(Self.sample))
        #expect(reader.isAtEnd)

        // Values Lua computes: integral doubles are integers, strings stay bytes.
        let computed = try await Self.redis.evalScript(
            RedisScript("return cmsgpack.pack({2^40, -2^31 - 1, 1000 * 1764000000, string.rep('ab', 200), {}})"))
        reader = MessagePack.Reader(try #require(computed.bytes))
        #expect(
            reader.value()
                == .array([
                    .integer(1 << 40), .integer(-2_147_483_649), .integer(1_764_000_000_000),
                    .string(Array(String(repeating: "ab", count: 200).utf8)), .array([]),
                ]))
    }
}
