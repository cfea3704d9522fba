import CCurl
import Foundation
import Synchronization
import Testing

@testable import Shared

/// The stream between a producer task and curl's request thread: order, back-pressure, finish, abort,
/// and a request that ended first. The reading side runs on a plain thread, as curl's does.
@Suite(.timeLimit(.minutes(1))) struct ClickHouseInsertStreamTests {
    /// Reads the stream through the body reader curl uses, on its own thread; returns the bytes and
    /// whether the read ended with an abort.
    private static func readOnThread(_ stream: ClickHouseInsertStream, bufferSize: Int = 5) async -> (bytes: [UInt8], aborted: Bool) {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let reader = CurlRequestBodyReader(.stream(stream))
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 1)
                defer { buffer.deallocate() }
                var output: [UInt8] = []
                while true {
                    let count = reader.read(into: buffer)
                    if count == Int(CURL_READFUNC_ABORT) { return continuation.resume(returning: (output, true)) }
                    if count == 0 { return continuation.resume(returning: (output, false)) }
                    output += buffer.prefix(count)
                }
            }
            thread.start()
        }
    }

    @Test func chunksArriveInOrderThenTheEnd() async throws {
        let stream = ClickHouseInsertStream(capacity: 2)
        let reading = Task { await Self.readOnThread(stream) }
        var expected: [UInt8] = []
        for index in 0..<50 {
            let chunk = (0..<(index % 7 + 1)).map { UInt8(truncatingIfNeeded: index * 31 + $0) }
            expected += chunk
            try await stream.send(chunk)
            try await stream.send([])  // ignored
        }
        stream.finish()
        let (bytes, aborted) = await reading.value
        #expect(bytes == expected)
        #expect(!aborted)
        await #expect(throws: FreshetError.self) { try await stream.send([1]) }
    }

    @Test func aSendWaitsWhileTheStreamIsFull() async throws {
        let stream = ClickHouseInsertStream(capacity: 2)
        try await stream.send([1])
        try await stream.send([2])
        let third = Mutex(false)
        let sender = Task {
            try await stream.send([3])
            third.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(third.withLock { $0 } == false, "the third chunk waits for room")
        let next = stream.next()
        guard case .chunk(let chunk) = next else { Issue.record("expected a chunk, got \(next)"); return }
        #expect(chunk == [1])
        try await sender.value
        #expect(third.withLock { $0 })
        stream.finish()
        let (bytes, aborted) = await Self.readOnThread(stream)
        #expect(bytes == [2, 3] && !aborted)
    }

    @Test func abortWinsOverQueuedChunksAndWakesAWaitingSender() async throws {
        let stream = ClickHouseInsertStream(capacity: 1)
        try await stream.send([1, 2, 3])
        let sender = Task { try await stream.send([4]) }  // waits: the stream is full
        try await Task.sleep(for: .milliseconds(100))
        stream.abort()
        let failure = await #expect(throws: FreshetError.self) { try await sender.value }
        #expect(failure?.code == .clickHouseStreamClosed)
        let (bytes, aborted) = await Self.readOnThread(stream)
        #expect(bytes.isEmpty && aborted, "nothing after an abort, and the request is failed")
        stream.finish()  // no effect after an abort
        #expect(await Self.readOnThread(stream).aborted)
    }

    @Test func aRequestThatEndedFirstClosesTheStream() async throws {
        let stream = ClickHouseInsertStream(capacity: 1)
        try await stream.send([1])
        let sender = Task { try await stream.send([2]) }
        try await Task.sleep(for: .milliseconds(100))
        stream.requestEnded()  // what the client does when the request is over (e.g. the server refused it)
        let failure = await #expect(throws: FreshetError.self) { try await sender.value }
        #expect(failure?.code == .clickHouseStreamClosed)
        await #expect(throws: FreshetError.self) { try await stream.send([3]) }
    }
}
