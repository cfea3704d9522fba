import FreshetTestSupport
import Foundation
import Testing

@testable import Enricher

/// ``Allocator``: jemalloc is the allocator of every process that links the enricher (this test
/// process too), Swift's own allocations go through it, and the options compiled into
/// `Sources/CJemalloc/options.c` are the ones in force unless `MALLOC_CONF` overrides them.
@Suite struct AllocatorTests {
    @Test func jemallocServesSwiftAllocations() throws {
        let version = try #require(Allocator.version, "jemalloc is not this process's allocator")
        #expect(version.hasPrefix("5."), "\(version)")

        let before = try #require(Allocator.bytesAllocatedByThisThread)
        // 1 MiB through Swift's runtime (swift_allocObject → malloc), on this thread.
        let block = [UInt8](repeating: 7, count: 1 << 20)
        let after = try #require(Allocator.bytesAllocatedByThisThread)
        #expect(after - before >= UInt64(block.count), "jemalloc did not see Swift's allocation: \(before) → \(after)")
        #expect(block.last == 7)
    }

    @Test func compiledOptionsApplyUnlessTheEnvironmentOverridesThem() throws {
        try #require(ProcessInfo.processInfo.environment["MALLOC_CONF"] == nil, "MALLOC_CONF is set: it wins")
        #expect(Allocator.arenas == 2)
        #expect(Allocator.dirtyDecayMilliseconds == 500)
        #expect(Allocator.muzzyDecayMilliseconds == 0)
        #expect(Allocator.summary.hasPrefix("jemalloc 5."))
        #expect(Allocator.summary.hasSuffix("narenas=2 dirty_decay_ms=500 muzzy_decay_ms=0"))
    }

    @Test func theEnvironmentWins() throws {
        // The built executable as a child process: jemalloc reads MALLOC_CONF once, at its first allocation.
        let enricher = try RunningService.start(
            "enricher", arguments: ["file", "--input", "/dev/null", "--output", "/dev/null", "--bad", "/dev/null", "--log-level", "debug"],
            environment: ["MALLOC_CONF": "narenas:3"])
        defer { enricher.stop() }
        let line = try enricher.waitForLine(containing: "allocator=")
        #expect(line.contains("narenas=3 dirty_decay_ms=500 muzzy_decay_ms=0"), "\(line)")
    }
}
