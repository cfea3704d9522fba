import Synchronization

/// A bounded least-recently-used cache from user-agent string to enrichment result, like Snowplow's (an
/// LRU map of 5000 entries in front of the UA parser).
///
/// Thread-safe: one `Mutex` guards the map and the recency list, held only for the O(1) lookup or insert,
/// never while parsing. A capacity of 0 disables caching (every lookup misses, nothing is stored).
/// Real traffic repeats a few thousand user agents, so most events are answered here.
public final class UserAgentCache<Value: Sendable>: Sendable {
    private struct Entry {
        var key: String
        var value: Value
        var newer: Int  // index of the next more recent entry, -1 at the head
        var older: Int  // index of the next less recent entry, -1 at the tail
    }

    private struct State {
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var newest = -1
        var oldest = -1
        var hits = 0
        var misses = 0

        mutating func unlink(_ slot: Int) {
            let (newer, older) = (entries[slot].newer, entries[slot].older)
            if newer >= 0 { entries[newer].older = older } else { newest = older }
            if older >= 0 { entries[older].newer = newer } else { oldest = newer }
        }

        mutating func pushNewest(_ slot: Int) {
            entries[slot].newer = -1
            entries[slot].older = newest
            if newest >= 0 { entries[newest].newer = slot }
            newest = slot
            if oldest < 0 { oldest = slot }
        }
    }

    /// The most entries kept; the least recently used one is evicted to make room.
    public let capacity: Int
    private let state: Mutex<State>

    /// Creates an empty cache holding at most `capacity` entries (negative values count as 0).
    public init(capacity: Int) {
        self.capacity = max(0, capacity)
        state = Mutex(State())
    }

    /// The cached value for `key`, marking it most recently used; `nil` on a miss.
    public func value(for key: String) -> Value? {
        state.withLock { state in
            guard let slot = state.index[key] else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            if state.newest != slot {
                state.unlink(slot)
                state.pushNewest(slot)
            }
            return state.entries[slot].value
        }
    }

    /// Stores `value` under `key` as the most recently used entry, evicting the least recently used entry
    /// when full.
    public func insert(_ value: Value, for key: String) {
        guard capacity > 0 else { return }
        state.withLock { state in
            if let slot = state.index[key] {
                state.entries[slot].value = value
                state.unlink(slot)
                state.pushNewest(slot)
                return
            }
            let slot: Int
            if state.entries.count < capacity {
                state.entries.append(Entry(key: key, value: value, newer: -1, older: -1))
                slot = state.entries.count - 1
            } else {
                slot = state.oldest
                state.unlink(slot)
                state.index[state.entries[slot].key] = nil
                state.entries[slot].key = key
                state.entries[slot].value = value
            }
            state.index[key] = slot
            state.pushNewest(slot)
        }
    }

    /// The number of entries held.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Lookups answered from the cache and lookups that missed, since creation.
    public var statistics: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }
}
