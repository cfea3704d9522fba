import Foundation
import Shared
import Testing

@testable import Enricher

/// The data-section decoder on hand-built bytes, one rule of the specification at a time.
@Suite("MaxMind data section decoder")
struct MaxMindDecoderTests {
    static func withDecoder<T>(_ bytes: [UInt8], _ body: (MaxMindDataDecoder) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            try body(MaxMindDataDecoder(file: MaxMindBytes(memory: buffer), sectionStart: 0, sectionSize: buffer.count, sectionName: "data section", source: "test"))
        }
    }

    static func decode(_ bytes: [UInt8]) throws -> MaxMindValue {
        try withDecoder(bytes) { try $0.decode(at: 0) }
    }

    static func expectCorrupt(_ bytes: [UInt8], mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let value = try decode(bytes)
            Issue.record("decoded \(value) instead of failing", sourceLocation: sourceLocation)
        } catch let error as FreshetError {
            #expect(error.code == .geoipInvalidDatabase, sourceLocation: sourceLocation)
            #expect(error.message.contains(text), "\(error.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("pointer values for all four pointer sizes", arguments: [
        ([0x20, 0x05] as [UInt8], 5), ([0x27, 0xFF], 2047),
        ([0x28, 0x00, 0x00], 2048), ([0x2F, 0xFF, 0xFF], 526_335),
        ([0x30, 0x00, 0x00, 0x00], 526_336), ([0x37, 0xFF, 0xFF, 0xFF], 134_744_063),
        ([0x38, 0x12, 0x34, 0x56, 0x78], 0x1234_5678), ([0x3F, 0xFF, 0xFF, 0xFF, 0xFF], 0xFFFF_FFFF),
    ])
    func pointerValues(_ bytes: [UInt8], _ target: Int) throws {
        let field = try Self.withDecoder(bytes) { try $0.field(at: 0) }
        #expect(field.type == .pointer)
        #expect(field.size == target)
        #expect(field.payload == bytes.count)
    }

    @Test("a pointer is followed to its target, in a section large enough for every pointer size")
    func pointerFollowed() throws {
        var bytes = [UInt8](repeating: 0, count: 600_000)
        let text = Array("target".utf8)
        // size 1: (1 << 16 | 0x0970) + 2048 = 70000.
        let size1Raw = 70_000 - 2048
        let cases: [(Int, [UInt8])] = [
            (600, [0x22, 0x58]),
            (70_000, [UInt8(0x28 | (size1Raw >> 16)), UInt8(size1Raw >> 8 & 0xFF), UInt8(size1Raw & 0xFF)]),
            (550_000, [0x30, 0x00, 0x5C, 0x70]),
            (599_000, [0x38, 0x00, 0x09, 0x23, 0xD8]),
        ]
        for (index, (target, pointer)) in cases.enumerated() {
            bytes[target] = 0x40 | UInt8(text.count)
            bytes.replaceSubrange((target + 1)...(target + text.count), with: text)
            let at = index * 8
            bytes.replaceSubrange(at..<at + pointer.count, with: pointer)
            let value = try Self.withDecoder(bytes) { try $0.decode(at: at) }
            #expect(value == .string("target"), "pointer \(pointer) should reach \(target)")
        }
    }

    @Test("payload sizes 0–28 in the control byte, 29/30/31 with 1/2/3 extra bytes")
    func payloadSizes() throws {
        for (header, size) in [([0x40] as [UInt8], 0), ([0x5C], 28), ([0x5D, 0x33], 80), ([0x5E, 0x33, 0x33], 13_392), ([0x5F, 0x33, 0x33, 0x33], 3_421_264)] {
            let field = try Self.withDecoder(header) { try $0.field(at: 0) }
            #expect(field.type == .utf8String)
            #expect(field.size == size)
            #expect(field.payload == header.count)
        }
        let long = String(repeating: "x", count: 13_392)
        #expect(try Self.decode([0x5E, 0x33, 0x33] + Array(long.utf8)) == .string(long))
        #expect(try Self.decode([0x5D, 0x33] + Array(String(repeating: "é", count: 40).utf8)) == .string(String(repeating: "é", count: 40)))
    }

    @Test("every scalar type")
    func scalars() throws {
        #expect(try Self.decode([0x40]) == .string(""))
        #expect(try Self.decode([0x68] + withUnsafeBytes(of: (42.123456).bitPattern.bigEndian, Array.init)) == .double(42.123456))
        #expect(try Self.decode([0x04, 0x08] + withUnsafeBytes(of: Float(1.1).bitPattern.bigEndian, Array.init)) == .float(1.1))
        #expect(try Self.decode([0x83, 0x00, 0x00, 0x2A]) == .bytes([0, 0, 0x2A]))
        #expect(try Self.decode([0xA0]) == .uint16(0))
        #expect(try Self.decode([0xA2, 0x01, 0x00]) == .uint16(256))
        #expect(try Self.decode([0xC4, 0xFF, 0xFF, 0xFF, 0xFF]) == .uint32(.max))
        #expect(try Self.decode([0x04, 0x01, 0xF0, 0x00, 0x00, 0x00]) == .int32(-268_435_456))
        #expect(try Self.decode([0x01, 0x01, 0xFF]) == .int32(255))
        #expect(try Self.decode([0x08, 0x02] + [UInt8](repeating: 0xFF, count: 8)) == .uint64(.max))
        #expect(try Self.decode([0x10, 0x03] + [UInt8](repeating: 0xFF, count: 16)) == .uint128(.max))
        #expect(try Self.decode([0x03, 0x03, 0x01, 0x00, 0x00]) == .uint128(65_536))
        #expect(try Self.decode([0x00, 0x07]) == .boolean(false))
        #expect(try Self.decode([0x01, 0x07]) == .boolean(true))
    }

    @Test("maps and arrays, with keys reached through pointers")
    func containers() throws {
        #expect(try Self.decode([0xE0]) == .map([:]))
        #expect(try Self.decode([0x00, 0x04]) == .array([]))
        #expect(try Self.decode([0x02, 0x04, 0xA1, 0x01, 0xA1, 0x02]) == .array([.uint16(1), .uint16(2)]))
        // {"en": "x", <pointer to "x">: <pointer to "en">}: the second pair reuses the first's strings.
        let map: [UInt8] = [0xE2, 0x42, 0x65, 0x6E, 0x41, 0x78, 0x20, 0x04, 0x20, 0x01]
        #expect(try Self.decode(map) == .map(["en": .string("x"), "x": .string("en")]))
        let lookedUp = try Self.withDecoder(map) { decoder in
            try Array("x".utf8).withUnsafeBufferPointer { key in try decoder.mapValue(at: 0, key: key) }
        }
        #expect(lookedUp == 8)
    }

    @Test("invalid data is reported with what and where", arguments: [
        ([0x00, 0x00] as [UInt8], "not an extended type"),
        ([0x00, 0x09], "unknown data type 16"),
        ([0x00, 0x05], "deprecated type 12"),
        ([0x00, 0x06], "deprecated type 13"),
        ([0x67, 1, 2, 3, 4, 5, 6, 7], "double with payload size 7"),
        ([0x03, 0x08, 1, 2, 3], "float with payload size 3"),
        ([0x02, 0x07], "boolean of size 2"),
        ([0x45, 0x61], "runs past the end"),
        ([0x42, 0xC3, 0x28], "not valid UTF-8"),
        ([0x20, 0x02, 0x20, 0x00], "points to another pointer"),
        ([0x20, 0x09], "lies outside the data section"),
        ([0xE1, 0xA1, 0x01, 0xA1, 0x01], "map key is a uint16"),
        ([0xA3, 0x01, 0x02, 0x03], "uint16 with payload size 3"),
        ([0x05, 0x01, 1, 2, 3, 4, 5], "int32 with payload size 5"),
        ([0x11, 0x03] + [UInt8](repeating: 1, count: 17), "uint128 with payload size 17"),
        ([0x5D], "a size of 1 bytes runs past the end"),
        ([0x38, 0x00], "a pointer of 4 bytes runs past the end"),
        ([], "runs past the end"),
    ])
    func invalid(_ bytes: [UInt8], _ message: String) {
        Self.expectCorrupt(bytes, mentioning: message)
    }

    @Test("nesting deeper than the limit is refused")
    func depth() {
        let bytes = Array([[UInt8]](repeating: [0x01, 0x04], count: 100).joined()) + [0xA0]
        Self.expectCorrupt(bytes, mentioning: "nest deeper than 64")
    }

    @Test("a small value expanding through shared pointers is refused")
    func amplification() {
        // Level i (at offset 6 i) is an array of two pointers to level i+1; 40 levels make 2^40 values.
        var bytes: [UInt8] = []
        for level in 0..<40 {
            let next = UInt8(6 * (level + 1))
            bytes += [0x02, 0x04, 0x20, next, 0x20, next]
        }
        bytes += [0xA0]
        Self.expectCorrupt(bytes, mentioning: "more than 1000000 values")
    }
}
