import CJemalloc

/// The enricher's memory allocator: jemalloc, linked into the executable (target `CJemalloc`), which
/// replaces glibc's malloc for the whole process — Swift's runtime, librdkafka and hiredis included.
///
/// Why: the enricher allocates and frees many small blocks per event (strings, arrays, reference-counted
/// boxes) on several threads at once, and librdkafka's threads free what the workers allocate. glibc's
/// malloc spent ~13 % of the service's CPU there (bin consolidation, arena locks: 13 % of the workers'
/// context switches were waits for one); with jemalloc's per-thread caches the offline mode needs ~17 %
/// less CPU per event and the service ~10 % (docs/enricher.md, "Allocator").
///
/// Options (compiled in by `Sources/CJemalloc/options.c`; `MALLOC_CONF` in the environment wins, e.g.
/// `MALLOC_CONF=narenas:4`): two arenas (`narenas`, jemalloc's default is four per core; each keeps its own
/// dirty pages), freed pages returned within about half a second (`dirty_decay_ms:500`, default 10 s)
/// and at once when decayed (`muzzy_decay_ms:0`). These keep the service's peak RSS under its 128 MB
/// target at the same speed.
///
/// Reads go through `mallctl`; they are cheap and thread-safe.
enum Allocator {
    /// jemalloc's version (`version`), e.g. `5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c`; `nil`
    /// if jemalloc is not the allocator it answers for.
    static var version: String? {
        var value: UnsafePointer<CChar>? = nil
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &value, &size, nil, 0) == 0, let value else { return nil }
        return String(cString: value)
    }

    /// The arenas in use (`opt.narenas`).
    static var arenas: Int? { unsignedOption("opt.narenas").map(Int.init) }

    /// How long freed dirty pages are kept before being returned (`opt.dirty_decay_ms`), in ms.
    static var dirtyDecayMilliseconds: Int? { signedOption("opt.dirty_decay_ms") }

    /// How long decayed pages are kept lazily (`opt.muzzy_decay_ms`), in ms.
    static var muzzyDecayMilliseconds: Int? { signedOption("opt.muzzy_decay_ms") }

    /// One line for the start-up log: `jemalloc <version> narenas=2 dirty_decay_ms=500 muzzy_decay_ms=0`.
    static var summary: String {
        guard let version else { return "not jemalloc" }
        let describe = { (value: Int?) in value.map(String.init) ?? "?" }
        return "jemalloc \(version.prefix { $0 != "-" }) narenas=\(describe(arenas)) "
            + "dirty_decay_ms=\(describe(dirtyDecayMilliseconds)) muzzy_decay_ms=\(describe(muzzyDecayMilliseconds))"
    }

    /// Bytes the calling thread has allocated so far (`thread.allocated`, a running total jemalloc keeps
    /// per thread): shows which allocator serves an allocation.
    static var bytesAllocatedByThisThread: UInt64? {
        var value: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        return mallctl("thread.allocated", &value, &size, nil, 0) == 0 ? value : nil
    }

    private static func unsignedOption(_ name: String) -> UInt32? {
        var value: UInt32 = 0
        var size = MemoryLayout<UInt32>.size
        return mallctl(name, &value, &size, nil, 0) == 0 ? value : nil
    }

    private static func signedOption(_ name: String) -> Int? {
        var value = 0  // ssize_t
        var size = MemoryLayout<Int>.size
        return mallctl(name, &value, &size, nil, 0) == 0 ? value : nil
    }
}
