import Synchronization

/// A bounded least-recently-used map from IP address text to lookup results (Snowplow keeps 20000).
///
/// Storage is preallocated-by-growth arrays linked into a recency list, so a hit allocates nothing.
/// Threading: safe from any thread; one lock guards each access (a hit holds it for a dictionary
/// lookup and four index writes).
public final class GeoIPLookupCache<Value: Sendable>: Sendable {
    private struct Storage {
        var slots: [String: Int] = [:]
        var keys: [String] = []
        var values: [Value] = []
        var newer: [Int] = []
        var older: [Int] = []
        var newest = -1
        var oldest = -1

        mutating func unlink(_ slot: Int) {
            let before = older[slot]
            let after = newer[slot]
            if after >= 0 { older[after] = before } else { newest = before }
            if before >= 0 { newer[before] = after } else { oldest = after }
        }

        mutating func pushNewest(_ slot: Int) {
            older[slot] = newest
            newer[slot] = -1
            if newest >= 0 { newer[newest] = slot }
            newest = slot
            if oldest < 0 { oldest = slot }
        }
    }

    /// The most entries kept.
    public let capacity: Int
    private let storage: Mutex<Storage>

    /// - Parameter capacity: the most entries kept; at least 1.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        self.storage = Mutex(Storage())
    }

    /// The value cached for `key`, marking it most recently used.
    public func value(forKey key: String) -> Value? {
        storage.withLock { storage in
            guard let slot = storage.slots[key] else { return nil }
            if storage.newest != slot {
                storage.unlink(slot)
                storage.pushNewest(slot)
            }
            return storage.values[slot]
        }
    }

    /// Stores `value` for `key`, evicting the least recently used entry when full.
    public func set(_ value: Value, forKey key: String) {
        storage.withLock { storage in
            if let slot = storage.slots[key] {
                storage.values[slot] = value
                storage.unlink(slot)
                storage.pushNewest(slot)
                return
            }
            let slot: Int
            if storage.keys.count < capacity {
                slot = storage.keys.count
                storage.keys.append(key)
                storage.values.append(value)
                storage.newer.append(-1)
                storage.older.append(-1)
            } else {
                slot = storage.oldest
                storage.unlink(slot)
                storage.slots[storage.keys[slot]] = nil
                storage.keys[slot] = key
                storage.values[slot] = value
            }
            storage.slots[key] = slot
            storage.pushNewest(slot)
        }
    }

    /// Number of entries held.
    public var count: Int { storage.withLock { $0.slots.count } }
}
