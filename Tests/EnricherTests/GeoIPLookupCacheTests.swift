import Testing

@testable import Enricher

@Suite("GeoIP lookup cache")
struct GeoIPLookupCacheTests {
    @Test("keeps the most recently used entries up to its capacity")
    func leastRecentlyUsedEviction() {
        let cache = GeoIPLookupCache<Int>(capacity: 3)
        cache.set(1, forKey: "a")
        cache.set(2, forKey: "b")
        cache.set(3, forKey: "c")
        #expect(cache.value(forKey: "a") == 1)  // "a" is now the most recent; "b" the least
        cache.set(4, forKey: "d")
        #expect(cache.value(forKey: "b") == nil)
        #expect(cache.value(forKey: "a") == 1)
        #expect(cache.value(forKey: "c") == 3)
        #expect(cache.value(forKey: "d") == 4)
        cache.set(5, forKey: "c")  // update in place, no eviction
        #expect(cache.count == 3)
        #expect(cache.value(forKey: "c") == 5)
        cache.set(6, forKey: "e")  // evicts "a", now the least recently used
        #expect(cache.value(forKey: "a") == nil)
        #expect(cache.count == 3)
    }

    @Test("stays bounded under many distinct keys")
    func bounded() {
        let cache = GeoIPLookupCache<Int>(capacity: 100)
        for index in 0..<10_000 { cache.set(index, forKey: "10.0.\(index / 256).\(index % 256)") }
        #expect(cache.count == 100)
        #expect(cache.value(forKey: "10.0.39.15") == 9999)
        #expect(cache.value(forKey: "10.0.0.0") == nil)
    }
}
