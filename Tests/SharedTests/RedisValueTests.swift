import Testing

@testable import Shared

/// RESP2 bytes, as Redis sends them (redis.io protocol spec examples), decoded by hiredis' own reader
/// and converted by the same code a live connection uses.
@Suite struct RedisValueTests {
    private func decode(_ text: String) throws -> [RedisValue] {
        try RedisReplyReader().decode(Array(text.utf8))
    }

    @Test func decodesEveryReplyType() throws {
        let values = try decode("+OK\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n:1000\r\n:-7\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n")
        #expect(values == [
            .simpleString("OK"),
            .error("WRONGTYPE Operation against a key holding the wrong kind of value"),
            .integer(1000),
            .integer(-7),
            .bulkString(Array("hello".utf8)),
            .bulkString([]),
            .null,
            .null,
        ])
    }

    @Test func decodesNestedArraysWithNullElements() throws {
        let values = try decode("*3\r\n$3\r\nfoo\r\n$-1\r\n*2\r\n:1\r\n-ERR inner\r\n")
        #expect(values == [.array([.bulkString(Array("foo".utf8)), .null, .array([.integer(1), .error("ERR inner")])])])
        #expect(values[0].array?.count == 3)
    }

    @Test func bulkStringsAreBinarySafe() throws {
        let payload: [UInt8] = [0, 13, 10, 255, 36]
        let values = try RedisReplyReader().decode(Array("$5\r\n".utf8) + payload + Array("\r\n".utf8))
        #expect(values == [.bulkString(payload)])
    }

    @Test func waitsForIncompleteRepliesAcrossFeeds() throws {
        let reader = try RedisReplyReader()
        #expect(try reader.decode(Array("$5\r\nhel".utf8)) == [])
        #expect(try reader.decode(Array("lo\r\n:2\r\n".utf8)) == [.bulkString(Array("hello".utf8)), .integer(2)])
    }

    @Test func malformedInputIsAProtocolError() throws {
        #expect {
            try decode("?what\r\n")
        } throws: { error in
            (error as? FreshetError)?.code == .redisProtocolError
        }
    }

    @Test func accessorsReadTheMatchingCases() {
        #expect(RedisValue.bulkString(Array("42".utf8)).integer == 42)
        #expect(RedisValue.integer(5).integer == 5)
        #expect(RedisValue.simpleString("PONG").string == "PONG")
        #expect(RedisValue.integer(5).string == nil)
        #expect(RedisValue.error("ERR x").errorMessage == "ERR x")
        #expect(RedisValue.bulkString([1]).errorMessage == nil)
        #expect(RedisValue.null.isNull)
        #expect(RedisValue.null.bytes == nil)
    }
}
