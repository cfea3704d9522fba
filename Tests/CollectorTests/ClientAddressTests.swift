import Testing

@testable import Collector

@Suite struct ClientAddressTests {
    @Test func firstForwardedForEntryLikeSnowplow() {
        #expect(ClientAddress.resolve(forwardedFor: "203.0.113.7, 10.0.0.1", forwarded: nil, peer: "10.0.0.2", trustedProxies: nil) == "203.0.113.7")
        #expect(ClientAddress.resolve(forwardedFor: nil, forwarded: nil, peer: "10.0.0.2", trustedProxies: nil) == "10.0.0.2")
    }

    @Test func trustedProxiesPickTheAddressTheOutermostProxySaw() {
        let chain = "6.6.6.6, 203.0.113.7, 10.0.0.1"  // a spoofed first entry, the real client, an inner proxy
        #expect(ClientAddress.resolve(forwardedFor: chain, forwarded: nil, peer: "10.0.0.2", trustedProxies: 2) == "203.0.113.7")
        #expect(ClientAddress.resolve(forwardedFor: chain, forwarded: nil, peer: "10.0.0.2", trustedProxies: 1) == "10.0.0.1")
        #expect(ClientAddress.resolve(forwardedFor: chain, forwarded: nil, peer: "10.0.0.2", trustedProxies: 0) == "10.0.0.2")
    }

    @Test func forwardedHeader() {
        #expect(ClientAddress.resolve(forwardedFor: nil, forwarded: "for=192.0.2.60;proto=http;by=203.0.113.43", peer: "1.1.1.1", trustedProxies: nil) == "192.0.2.60")
        #expect(ClientAddress.resolve(forwardedFor: nil, forwarded: "For=\"[2001:db8:cafe::17]:4711\"", peer: nil, trustedProxies: nil) == "2001:db8:cafe::17")
        #expect(ClientAddress.resolve(forwardedFor: nil, forwarded: "for=192.0.2.43:8080, for=198.51.100.17", peer: nil, trustedProxies: nil) == "192.0.2.43")
        #expect(ClientAddress.resolve(forwardedFor: nil, forwarded: "for=unknown", peer: "9.9.9.9", trustedProxies: nil) == "9.9.9.9")
    }

    @Test func bracketedIPv6() {
        #expect(ClientAddress.resolve(forwardedFor: "[2001:db8::1]", forwarded: nil, peer: nil, trustedProxies: nil) == "2001:db8::1")
    }
}
