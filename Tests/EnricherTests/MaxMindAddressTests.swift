import Testing

@testable import Enricher

@Suite("MaxMind address parsing")
struct MaxMindAddressTests {
    @Test("addresses a collector records are parsed to the right bits", arguments: [
        ("1.2.3.4", "1.2.3.4"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("::", "0:0:0:0:0:0:0:0"), ("::1", "0:0:0:0:0:0:0:1"), ("1::", "1:0:0:0:0:0:0:0"),
        ("2001:db8::8a2e:370:7334", "2001:db8:0:0:0:8a2e:370:7334"),
        ("2001:DB8:0:0:1:0:0:1", "2001:db8:0:0:1:0:0:1"), ("::ffff:1.2.3.4", "0:0:0:0:0:ffff:102:304"),
        ("::1.1.1.1", "0:0:0:0:0:0:101:101"), ("fe80::1%eth0", "fe80:0:0:0:0:0:0:1"), ("[2001:db8::1]", "2001:db8:0:0:0:0:0:1"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
    ])
    func valid(_ text: String, _ expected: String) {
        #expect(MaxMindAddress(text)?.description == expected)
    }

    @Test("anything else is refused", arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "1..2.3", "a.b.c.d", "1.2.3.4 ", "localhost", ":", ":::", "1:::2",
        "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::", ":1", "1:", "::1.2.3", "1.2.3.4::", "[]", "x",
    ])
    func invalid(_ text: String) {
        #expect(MaxMindAddress(text) == nil)
    }

    @Test("bits are read most significant first")
    func bits() {
        let v4 = MaxMindAddress("128.0.0.1")!
        #expect(v4.bitCount == 32)
        #expect((0..<32).map(v4.bit) == [1] + [Int](repeating: 0, count: 30) + [1])
        let v6 = MaxMindAddress("8000::1")!
        #expect(v6.bitCount == 128)
        #expect(v6.bit(0) == 1 && v6.bit(127) == 1 && (1..<127).allSatisfy { v6.bit($0) == 0 })
    }

    @Test("IPv4-mapped IPv6 addresses become IPv4, others stay")
    func unmapping() {
        #expect(MaxMindAddress("::ffff:1.2.3.4")!.unmappingIPv4 == MaxMindAddress("1.2.3.4"))
        #expect(MaxMindAddress("::1.2.3.4")!.unmappingIPv4.isIPv4 == false)
        #expect(MaxMindAddress("2001:db8::1")!.unmappingIPv4.isIPv4 == false)
    }
}
