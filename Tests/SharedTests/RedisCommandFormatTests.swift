import CHiredis
import Testing

@testable import Shared

/// ``RedisContext/formatted(_:)`` writes exactly the bytes hiredis' own `redisFormatCommandArgv` writes
/// (the independent oracle), for the edge cases and for random binary commands.
@Suite struct RedisCommandFormatTests {
    /// What hiredis formats for `command`.
    static func hiredis(_ command: [RedisArgument]) -> [UInt8] {
        var storage: [UInt8] = command.flatMap(\.bytes) + [0]
        let lengths = command.map(\.bytes.count)
        return storage.withUnsafeMutableBytes { raw -> [UInt8] in
            var offset = 0
            var pointers: [UnsafePointer<CChar>?] = lengths.map { length in
                defer { offset += length }
                return UnsafePointer(raw.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self))
            }
            var target: UnsafeMutablePointer<CChar>?
            let count = redisFormatCommandArgv(&target, Int32(command.count), &pointers, lengths)
            defer { redisFreeCommand(target) }
            return (0..<Int(count)).map { UInt8(bitPattern: target![$0]) }
        }
    }

    @Test func edgeCasesMatchHiredis() {
        let commands: [[RedisArgument]] = [
            ["PING"],
            ["SET", "k", ""],
            ["SET", RedisArgument(bytes: [0, 13, 10, 255]), RedisArgument(bytes: Array(repeating: 120, count: 10_000))],
            (0..<123).map { RedisArgument($0) },
        ]
        for command in commands {
            #expect(RedisContext.formatted(command) == Self.hiredis(command))
        }
    }

    @Test func randomBinaryCommandsMatchHiredis() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let command = (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                RedisArgument(bytes: (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
            #expect(RedisContext.formatted(command) == Self.hiredis(command))
        }
    }
}
