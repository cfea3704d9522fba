import Foundation
import Testing

@testable import Shared

/// The reader curl calls for the request body: every byte once, in order, whatever the buffer size.
@Suite struct ClickHouseInsertBodyTests {
    private func drain(_ body: ClickHouseInsertBody, bufferSize: Int) -> [UInt8] {
        let reader = CurlRequestBodyReader(body)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 1)
        defer { buffer.deallocate() }
        var output: [UInt8] = []
        while true {
            let count = reader.read(into: buffer)
            if count == 0 { return output }
            output += buffer.prefix(count)
        }
    }

    private let payload: [UInt8] = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    @Test(arguments: [1, 7, 64, 4096])
    func bytesArriveWhole(bufferSize: Int) {
        #expect(drain(.bytes(payload), bufferSize: bufferSize) == payload)
        #expect(drain(.data(Data(payload)), bufferSize: bufferSize) == payload)
    }

    @Test(arguments: [1, 7, 64, 4096])
    func chunksArriveWholeAndInOrder(bufferSize: Int) {
        let chunks: [[UInt8]] = [Array(payload[0..<10]), [], Array(payload[10..<999]), Array(payload[999...])]
        #expect(drain(.chunks(chunks), bufferSize: bufferSize) == payload)
    }

    @Test func chunksBuiltOnDemandArriveInOrder() {
        let body = ClickHouseInsertBody.chunks(count: 100) { index in Array(payload[(index * 10)..<(index * 10 + 10)]) }
        #expect(drain(body, bufferSize: 33) == payload)
        #expect(drain(.chunks(count: 0) { _ in [1] }, bufferSize: 8) == [])
    }

    @Test func knownLengthOnlyForBytes() {
        #expect(ClickHouseInsertBody.bytes(payload).knownLength == 1000)
        #expect(ClickHouseInsertBody.data(Data(payload)).knownLength == 1000)
        #expect(ClickHouseInsertBody.chunks([payload]).knownLength == nil)
    }
}
