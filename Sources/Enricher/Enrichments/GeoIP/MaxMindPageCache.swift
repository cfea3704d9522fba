#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A bounded cache of fixed-size pages of one read-only file, read with `pread`: at most
/// ``capacity`` pages of ``pageSize`` bytes are held, so the resident memory a ``MaxMindDatabase``
/// costs is bounded by `capacity × pageSize` however many different addresses are looked up (a
/// mapping of the file grows towards the whole file: the kernel maps up to 16 neighbouring cached pages
/// on every fault). Pages are replaced in CLOCK order (an approximation of least recently used: a
/// page read since the hand last passed it gets a second chance).
///
/// The file must not change while the cache reads it: ``MaxMindDatabase`` hands it the descriptor of
/// its private unnamed copy. A failed read (an I/O error on that copy) yields zeros for the bytes
/// asked for, caches nothing and increments ``readFailures``; callers that must know compare that
/// counter before and after their reads.
///
/// Threading: every member may be called from any thread; one lock guards the page table and the page
/// buffer, held for each access (a hit is a table look-up and a copy) and during a miss's `pread`.
/// Lifetime: owns the descriptor (closed in `deinit`) and the page buffer.
final class MaxMindPageCache: @unchecked Sendable {
    // @unchecked Sendable: the tables and the page buffer are only touched with `lock` held; the other
    // stored properties are immutable.

    /// Bytes per page: 4 KiB, the kernel's page size on the platforms Freshet runs on.
    static let pageShift = 12
    static let pageSize = 1 << pageShift
    /// Default bound: 1024 pages = 4 MiB.
    static let defaultCapacity = 1024

    /// The most pages held.
    let capacity: Int
    /// The file's size in bytes; reads stop there.
    let fileSize: Int
    /// The file read (for ``MaxMindDatabase/verify()``'s temporary mapping); closed in `deinit`.
    let descriptor: Int32
    private let lock = Mutex<Void>(())
    /// The page held in each slot (`-1`: free), and the slot holding each page of the file (`-1`: none).
    private let pageOfSlot: UnsafeMutablePointer<Int32>
    private let slotOfPage: UnsafeMutablePointer<Int32>
    private let pageCount: Int
    /// Per slot: read since the clock hand last passed.
    private let referenced: UnsafeMutablePointer<Bool>
    /// `capacity × pageSize` bytes; only slots in use become resident.
    private let buffer: UnsafeMutableRawPointer
    private var hand = 0
    private var used = 0
    private var failures = 0
    private var loads = 0

    /// Takes ownership of `descriptor` (a file of `fileSize` bytes that does not change).
    /// - Parameter capacity: the most pages held (at least 2; a tree node or a short field can straddle
    ///   two pages, which are then copied one after the other).
    init(descriptor: Int32, fileSize: Int, capacity: Int = MaxMindPageCache.defaultCapacity) {
        self.descriptor = descriptor
        self.fileSize = fileSize
        self.capacity = max(2, capacity)
        self.pageCount = (fileSize + Self.pageSize - 1) >> Self.pageShift
        pageOfSlot = .allocate(capacity: self.capacity)
        pageOfSlot.initialize(repeating: -1, count: self.capacity)
        slotOfPage = .allocate(capacity: max(pageCount, 1))
        slotOfPage.initialize(repeating: -1, count: max(pageCount, 1))
        referenced = .allocate(capacity: self.capacity)
        referenced.initialize(repeating: false, count: self.capacity)
        buffer = .allocate(byteCount: self.capacity * Self.pageSize, alignment: Self.pageSize)
    }

    deinit {
        close(descriptor)
        pageOfSlot.deallocate()
        slotOfPage.deallocate()
        referenced.deallocate()
        buffer.deallocate()
    }

    /// Pages held now (at most ``capacity``).
    var pagesHeld: Int { lock.withLock { _ in used } }
    /// Pages read from the file so far (misses).
    var pagesLoaded: Int { lock.withLock { _ in loads } }
    /// Reads that failed so far (their bytes read as zeros).
    var readFailures: Int { lock.withLock { _ in failures } }

    /// The byte at `offset` (below ``fileSize``).
    @inline(__always)
    func byte(at offset: Int) -> UInt8 {
        lock.withLock { _ in
            let slot = slotLocked(offset >> Self.pageShift)
            guard slot >= 0 else { return 0 }
            return buffer.load(fromByteOffset: slot << Self.pageShift | offset & (Self.pageSize - 1), as: UInt8.self)
        }
    }

    /// Copies `count` bytes from `offset` (the range lies inside the file) to `destination`.
    func copy(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer) {
        var done = 0
        while done < count {
            let position = offset + done
            let inPage = position & (Self.pageSize - 1)
            let length = min(count - done, Self.pageSize - inPage)
            lock.withLock { _ in
                let slot = slotLocked(position >> Self.pageShift)
                if slot >= 0 {
                    (destination + done).copyMemory(from: buffer + (slot << Self.pageShift | inPage), byteCount: length)
                } else {
                    (destination + done).initializeMemory(as: UInt8.self, repeating: 0, count: length)
                }
            }
            done += length
        }
    }

    /// The slot holding `page`, reading it first when absent; `-1` when the read failed. Lock held.
    @inline(__always)
    private func slotLocked(_ page: Int) -> Int {
        let slot = Int(slotOfPage[page])
        if slot >= 0 {
            referenced[slot] = true
            return slot
        }
        return loadLocked(page)
    }

    private func loadLocked(_ page: Int) -> Int {
        let slot: Int
        if used < capacity {
            slot = used
            used += 1
        } else {
            while referenced[hand] {
                referenced[hand] = false
                hand = (hand + 1) % capacity
            }
            slot = hand
            hand = (hand + 1) % capacity
            let evicted = Int(pageOfSlot[slot])
            if evicted >= 0 { slotOfPage[evicted] = -1 }
            pageOfSlot[slot] = -1
        }
        let start = page << Self.pageShift
        let length = min(Self.pageSize, fileSize - start)
        let destination = buffer + (slot << Self.pageShift)
        var filled = 0
        while filled < length {
            let count = pread(descriptor, destination + filled, length - filled, off_t(start + filled))
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                failures += 1
                // The slot stays free: the page is read again on its next access.
                referenced[slot] = false
                return -1
            }
            filled += count
        }
        loads += 1
        pageOfSlot[slot] = Int32(page)
        slotOfPage[page] = Int32(slot)
        referenced[slot] = true
        return slot
    }
}
