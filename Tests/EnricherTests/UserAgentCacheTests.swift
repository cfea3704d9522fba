import Testing

@testable import Enricher

struct UserAgentCacheTests {
    @Test("never holds more than its capacity")
    func bounded() {
        let cache = UserAgentCache<Int>(capacity: 3)
        for index in 0..<10 { cache.insert(index, for: "ua\(index)") }
        #expect(cache.count == 3)
        let values = (0..<10).map { cache.value(for: "ua\($0)") }
        #expect(values == [nil, nil, nil, nil, nil, nil, nil, 7, 8, 9])
    }

    @Test("evicts the least recently used entry, where a lookup counts as a use")
    func evictsLeastRecentlyUsed() {
        let cache = UserAgentCache<String>(capacity: 2)
        cache.insert("A", for: "a")
        cache.insert("B", for: "b")
        #expect(cache.value(for: "a") == "A")  // now b is the least recently used
        cache.insert("C", for: "c")
        #expect(cache.value(for: "b") == nil)
        #expect(cache.value(for: "a") == "A")
        #expect(cache.value(for: "c") == "C")
    }

    @Test("inserting an existing key replaces its value without growing")
    func replaces() {
        let cache = UserAgentCache<Int>(capacity: 2)
        cache.insert(1, for: "a")
        cache.insert(2, for: "a")
        #expect(cache.count == 1)
        #expect(cache.value(for: "a") == 2)
    }

    @Test("capacity 0 stores nothing")
    func disabled() {
        let cache = UserAgentCache<Int>(capacity: 0)
        cache.insert(1, for: "a")
        #expect(cache.value(for: "a") == nil)
        #expect(cache.count == 0)
    }

    @Test("the enrichment answers a repeated user agent from the cache with an equal result")
    func enrichmentHits() throws {
        let parser = try UserAgentParserTests.parser()
        let enrichment = UserAgentEnrichment(configuration: .init(cacheSize: 2), parser: parser)
        let first = enrichment.enrich(useragent: "Mozilla/5.0 Firefox/1.2")
        let second = enrichment.enrich(useragent: "Mozilla/5.0 Firefox/1.2")
        #expect(first != nil)
        #expect(first == second)
        #expect(enrichment.cache.statistics.hits == 1)
        #expect(enrichment.cache.statistics.misses == 1)
        for index in 0..<5 { _ = enrichment.enrich(useragent: "agent \(index)") }
        #expect(enrichment.cache.count == 2)
    }

    @Test("concurrent use from many tasks keeps the cache consistent")
    func concurrent() async {
        let cache = UserAgentCache<Int>(capacity: 50)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var mismatches = 0
                    for index in 0..<2000 {
                        let number = (index * 7 + task) % 120
                        if let value = cache.value(for: "ua\(number)"), value != number { mismatches += 1 }
                        cache.insert(number, for: "ua\(number)")
                    }
                    return mismatches
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(cache.count == 50)
    }
}
