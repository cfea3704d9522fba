#if canImport(Glibc)
import Glibc

/// glibc's `mallopt` (from `<malloc.h>`, which Swift's Glibc module does not import).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// Caps glibc's malloc arenas for the enricher's process.
///
/// glibc gives each thread that contends on malloc its own arena, up to 8 per core; the enricher runs
/// Swift's cooperative threads, librdkafka's threads and a blocking executor, and each arena keeps its own
/// freed-but-unreturned memory, which showed as tens of MB of peak RSS with nothing to gain on 2 cores.
/// The cap (default 2, `M_ARENA_MAX`) applies only when the `MALLOC_ARENA_MAX` environment variable is
/// not set, so an operator's own setting wins.
///
/// Threading: call once, first thing in `run()`, before other threads allocate much.
enum MallocArenaLimit {
    /// Arenas when `MALLOC_ARENA_MAX` is unset. Default: 2.
    static let defaultArenas: Int32 = 2

    /// Applies the cap (a no-op off glibc or when `MALLOC_ARENA_MAX` is set).
    static func apply() {
        #if canImport(Glibc)
        guard getenv("MALLOC_ARENA_MAX") == nil else { return }
        let arenaMaximum: Int32 = -8  // M_ARENA_MAX in <malloc.h>
        _ = glibcMallopt(arenaMaximum, defaultArenas)
        #endif
    }
}
