import Foundation
import Testing

@testable import Shared

@Suite("Collector payload log-file lines")
struct CollectorPayloadLogLineTests {
    @Test("a line is base64 of the Thrift bytes plus \\n, and decodes back", arguments: ["full", "minimal", "unicode", "empties", "large"])
    func roundTrip(sample: String) throws {
        let payload = try #require(CollectorPayloadSamples.named[sample])
        let line = CollectorPayloadLogLine.encode(payload)
        #expect(line.count == CollectorPayloadLogLine.encodedLength(of: payload))
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") })
        // Independent base64: Foundation's.
        #expect(Data(line.dropLast()) == Data(payload.thriftBytes()).base64EncodedData())
        #expect(try CollectorPayloadLogLine.decode(line).get() == payload)
        #expect(try CollectorPayloadLogLine.decode(line.dropLast()).get() == payload)
        #expect(try CollectorPayloadLogLine.decode(line.dropLast() + [13, 10]).get() == payload)
        #expect(try CollectorPayloadLogLine.decode(line.dropLast() + [13]).get() == payload)
    }

    @Test("many records in one buffer split into lines; a partial last line is left over")
    func bufferOfLines() throws {
        var buffer = [UInt8]()
        for payload in CollectorPayloadSamples.all { CollectorPayloadLogLine.append(payload, to: &buffer) }
        let complete = buffer.count
        CollectorPayloadLogLine.append(CollectorPayloadSamples.full, to: &buffer)
        buffer.removeLast(7)  // the last record is still being written
        let (lines, consumed) = buffer.withUnsafeBytes { CollectorPayloadLogLine.completeLines(in: $0) }
        #expect(consumed == complete)
        #expect(lines.count == CollectorPayloadSamples.all.count)
        for (range, payload) in zip(lines, CollectorPayloadSamples.all) {
            #expect(try CollectorPayloadLogLine.decode(buffer[range]).get() == payload)
        }
        #expect(CollectorPayloadLogLine.decode(buffer[consumed...]) != .success(CollectorPayloadSamples.full))
    }

    @Test("line splitting agrees with a byte-by-byte split: empty buffers and lines, no newline, random bytes")
    func lineSplittingMatchesByteLoop() {
        func byByte(_ bytes: [UInt8]) -> (lines: [Range<Int>], consumed: Int) {
            var lines = [Range<Int>](), start = 0
            for index in bytes.indices where bytes[index] == 0x0A {
                lines.append(start..<index)
                start = index + 1
            }
            return (lines, start)
        }
        var cases: [[UInt8]] = [[], [0x0A], [0x0A, 0x0A], Array("abc".utf8), Array("abc\n".utf8), Array("\nabc\n\nd".utf8)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let length = Int.random(in: 0...300, using: &generator)
            // Mostly newlines and one other byte, so that runs, empty lines and long lines all occur.
            cases.append((0..<length).map { _ in Bool.random(using: &generator) ? 0x0A : UInt8.random(in: 0...255, using: &generator) })
        }
        for bytes in cases {
            let split = bytes.withUnsafeBytes { CollectorPayloadLogLine.completeLines(in: $0) }
            let expected = byByte(bytes)
            #expect(split.lines == expected.lines && split.consumed == expected.consumed, "\(bytes)")
        }
    }

    @Test("bad lines are rejected with a typed error")
    func badLines() {
        let good = CollectorPayloadLogLine.encode(CollectorPayloadSamples.minimal).dropLast()
        func decode(_ bytes: some Collection<UInt8>) -> Result<CollectorPayload, CollectorPayloadLogLine.DecodingError> {
            CollectorPayloadLogLine.decode(bytes)
        }
        #expect(decode([UInt8]()) == .failure(.empty))
        #expect(decode(Array("\n".utf8)) == .failure(.empty))
        #expect(decode(Array("\r\n".utf8)) == .failure(.empty))
        #expect(decode(Array(good) + Array("\r\r\n".utf8)) == .failure(.invalidBase64(.invalidLength(good.count + 1))))
        #expect(decode(Array(good) + [32]) == .failure(.invalidBase64(.invalidLength(good.count + 1))))
        #expect(decode(Array(good.dropLast())) == .failure(.invalidBase64(.invalidLength(good.count - 1))))
        var withSpace = Array(good)
        withSpace[5] = UInt8(ascii: " ")
        #expect(decode(withSpace) == .failure(.invalidBase64(.invalidCharacter(offset: 5, byte: 32))))
        var urlSafe = Array(good)
        urlSafe[0] = UInt8(ascii: "-")
        #expect(decode(urlSafe) == .failure(.invalidBase64(.invalidCharacter(offset: 0, byte: UInt8(ascii: "-")))))
        #expect(decode(Array("AB\nCD\n".utf8)) == .failure(.invalidBase64(.invalidLength(5))))
        // Valid base64 of bytes that are not a payload.
        #expect(decode(Array("AAAA".utf8)) == .failure(.invalidThrift(.missingRequiredField(id: 31337, name: "schema"))))
        #expect(decode(Array("CwBk".utf8)) == .failure(.invalidThrift(.truncated(offset: 3))))
        // Every truncation of a record is rejected.
        for length in 1..<good.count {
            if case .success = decode(good.prefix(length)) { Issue.record("prefix \(length) decoded") }
        }
    }

    @Test("base64 matches Foundation for every length and byte value, and rejects non-canonical text")
    func base64() throws {
        var random = SplitMix64(state: 64)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let text = Base64.encode(bytes)
            #expect(text == Data(bytes).base64EncodedString())
            #expect(try Base64.decode(Array(text.utf8)).get() == bytes)
        }
        #expect(Base64.decode(Array("QQ==".utf8)) == .success([0x41]))
        #expect(Base64.decode(Array("QR==".utf8)) == .failure(.nonCanonicalPadding))
        #expect(Base64.decode(Array("QUJ=".utf8)) == .failure(.nonCanonicalPadding))
        #expect(Base64.decode(Array("Q===".utf8)) == .failure(.invalidCharacter(offset: 1, byte: UInt8(ascii: "="))))
        #expect(Base64.decode(Array("QQ==QQ==".utf8)) == .failure(.invalidCharacter(offset: 2, byte: UInt8(ascii: "="))))
    }
}
