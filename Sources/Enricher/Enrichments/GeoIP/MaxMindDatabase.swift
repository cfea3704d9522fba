#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Shared

/// A MaxMind DB (`.mmdb`) file opened for lookups, read per the MaxMind DB File Format Specification 2.0.
///
/// Memory: the file is copied into a private, unnamed file (`O_TMPFILE`) in the database's own
/// directory and lookups read that copy with `pread` through a ``MaxMindPageCache`` of at most
/// `pageCacheCapacity` 4 KiB pages (default 1024 = 4 MiB): the resident memory of a database is bounded
/// by that, however many different addresses are looked up. (A mapping of the file grew to 40–52 MB of
/// the 56 MB GeoLite2-City within a few thousand addresses: the kernel maps up to 16 neighbouring cached
/// pages on every fault.) Nobody else can open, rewrite or truncate the unnamed copy, so a database
/// replaced in place (copied over, truncated) while in use cannot change what a lookup reads: a private
/// copy is what hot replacement needs. Where the directory does not allow an unnamed file (read-only, or
/// a file system without `O_TMPFILE`) the file is read into one private heap buffer instead, as resident
/// memory of the file's size. ``verify()`` reads a paged database through a temporary mapping whose
/// pages it drops as it goes, so checking the whole file does not raise the peak resident set by the
/// file's size.
///
/// Opening checks the metadata (found through the last `\xAB\xCD\xEFMaxMind.com` marker within the final
/// 128 KiB), the search tree's size against the file, and finds the IPv4 start node of an IPv6 tree (the
/// node reached after 96 zero bits, `::/96`) once. ``verify()`` additionally walks the whole tree and
/// decodes every record. Lookups check every offset they follow, so even a corrupt file that passed
/// opening yields `geoip.invalid_database` errors, never a crash.
///
/// Threading: immutable after `init`; lookups may run concurrently from any thread.
/// Lifetime: the buffer lives as long as the object; a ``MaxMindRecord`` keeps its database alive.
public final class MaxMindDatabase: @unchecked Sendable {
    // @unchecked Sendable: the only mutable-looking state is the buffer behind `file`, written once in
    // `init` and only read afterwards, and freed in `deinit` when no reference (and so no reader) is left.

    /// Identifies the version of a file on disk: replacing or rewriting the file changes it.
    public struct FileStamp: Sendable, Hashable, CustomStringConvertible {
        public var device: UInt64
        public var inode: UInt64
        public var size: Int64
        public var modificationSeconds: Int64
        public var modificationNanoseconds: Int64

        public var description: String {
            "inode \(inode), \(size) bytes, modified \(modificationSeconds).\(modificationNanoseconds)"
        }
    }

    /// The marker that starts the metadata section.
    static let metadataMarker: [UInt8] = [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)
    /// The metadata section (marker included) is at most this long.
    static let maximumMetadataSize = 128 * 1024

    /// The file's metadata.
    public let metadata: MaxMindMetadata
    /// Where the bytes came from (a path, or a caller-given name), for messages.
    public let source: String
    /// The file's stamp when it was read from disk; `nil` for a database built from bytes.
    public let fileStamp: FileStamp?

    let file: MaxMindBytes
    let nodeCount: Int
    let nodeByteSize: Int
    let recordSize: Int
    let searchTreeSize: Int
    /// The decoder of the data section (after the tree and its 16-byte separator, up to the marker).
    let data: MaxMindDataDecoder
    /// For IPv6 trees: the record reached from the root after 96 zero bits (or earlier, when the walk left
    /// the tree), and how many bits that took. For IPv4 trees: the root, at depth 0.
    let ipv4Start: Int
    let ipv4StartDepth: Int

    /// Reads and opens the file at `path`.
    /// - Throws: `geoip.unreadable_database` when it cannot be read, `geoip.invalid_database` when it is
    ///   not a valid MaxMind DB.
    /// - Parameter pageCacheCapacity: the most 4 KiB pages of the file held in memory for lookups (see
    ///   ``MaxMindPageCache``); at least 2. Default: 1024 (4 MiB).
    public convenience init(contentsOfFile path: String, pageCacheCapacity: Int = 1024) throws {
        if let (descriptor, count, stamp) = try Self.makePrivateCopy(path) {
            let pages = MaxMindPageCache(descriptor: descriptor, fileSize: count, capacity: pageCacheCapacity)
            try self.init(storage: .paged(pages), count: count, source: path, fileStamp: stamp)
        } else {
            let (buffer, count, stamp) = try Self.readFile(path)
            try self.init(storage: .heap(buffer), count: count, source: path, fileStamp: stamp)
        }
    }

    /// Opens a database from bytes already in memory (copied); `source` names it in messages.
    public convenience init(bytes: some Collection<UInt8>, source: String) throws {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        try self.init(storage: .heap(buffer), count: bytes.count, source: source, fileStamp: nil)
    }

    /// Takes ownership of `storage` (released in `deinit`, or here when opening fails), whose first
    /// `count` bytes hold the file.
    private init(storage: Storage, count: Int, source: String, fileStamp: FileStamp?) throws {
        let file = storage.bytes(count)
        do {
            let markerOffset = try Self.findMetadataMarker(file, source: source)
            let metadataStart = markerOffset + Self.metadataMarker.count
            let metadataDecoder = MaxMindDataDecoder(
                file: file, sectionStart: metadataStart, sectionSize: file.count - metadataStart,
                sectionName: "metadata", source: source)
            let metadata = try MaxMindMetadata(metadataDecoder.decode(at: 0), source: source)
            let nodeByteSize = metadata.recordSize / 4
            let searchTreeSize = metadata.nodeCount * nodeByteSize
            guard searchTreeSize + 16 <= markerOffset else {
                throw FreshetError(
                    .geoipInvalidDatabase,
                    "MaxMind DB \(source) is corrupt or truncated: metadata says \(metadata.nodeCount) nodes of \(nodeByteSize) bytes (\(searchTreeSize + 16) bytes with the data section separator), but the metadata marker is at file offset \(markerOffset); replace the file"
                )
            }
            self.metadata = metadata
            self.nodeCount = metadata.nodeCount
            self.recordSize = metadata.recordSize
            self.nodeByteSize = nodeByteSize
            self.searchTreeSize = searchTreeSize
            self.data = MaxMindDataDecoder(
                file: file, sectionStart: searchTreeSize + 16, sectionSize: markerOffset - searchTreeSize - 16,
                sectionName: "data section", source: source)
        } catch {
            storage.release()
            throw error
        }
        self.file = file
        self.storage = storage
        self.source = source
        self.fileStamp = fileStamp
        var node = 0
        var depth = 0
        if metadata.ipVersion == 6 {
            while depth < 96, node < nodeCount {
                node = Self.readRecord(file, node: node, bit: 0, recordSize: recordSize, nodeByteSize: nodeByteSize)
                depth += 1
            }
        }
        self.ipv4Start = node
        self.ipv4StartDepth = depth
    }

    /// Owns the bytes behind ``file``.
    enum Storage {
        /// A heap buffer (freed with `deallocate`).
        case heap(UnsafeMutableBufferPointer<UInt8>)
        /// A page cache over the unnamed copy (which it owns and closes).
        case paged(MaxMindPageCache)

        /// The first `count` bytes.
        func bytes(_ count: Int) -> MaxMindBytes {
            switch self {
            case .heap(let buffer): MaxMindBytes(memory: UnsafeBufferPointer(rebasing: buffer[0..<count]))
            case .paged(let pages): MaxMindBytes(pages: pages)
            }
        }

        func release() {
            switch self {
            case .heap(let buffer): buffer.deallocate()
            case .paged: break  // the cache closes the copy when the last reference goes
            }
        }
    }

    private let storage: Storage

    /// `true` when lookups read the private copy through a bounded page cache, `false` for a heap copy.
    public var isPaged: Bool {
        if case .paged = storage { return true }
        return false
    }

    /// The page cache of a paged database (`nil` for a heap copy).
    var pageCache: MaxMindPageCache? {
        if case .paged(let pages) = storage { return pages }
        return nil
    }

    deinit {
        storage.release()
    }

    /// Looks `address` up: the record of the most specific network containing it (or none), and that
    /// network's prefix length. For an IPv4 address in an IPv6 tree the prefix counts IPv4 bits (as
    /// MaxMind's readers do): `1.1.1.0/24` gives 24.
    /// - Throws: `geoip.address_family_mismatch` for an IPv6 address in an IPv4-only database;
    ///   `geoip.invalid_database` when the tree is corrupt.
    public func lookup(_ address: MaxMindAddress) throws -> MaxMindLookup {
        var node: Int
        var depth: Int
        let bitCount = address.bitCount
        if address.isIPv4 {
            node = ipv4Start
            depth = ipv4StartDepth
        } else {
            guard metadata.ipVersion == 6 else {
                throw FreshetError(
                    .geoipAddressFamilyMismatch,
                    "cannot look up IPv6 address \(address) in \(source): the database holds only IPv4 data")
            }
            node = 0
            depth = 0
        }
        let pages = file.pages
        let failuresBefore = pages?.readFailures ?? 0
        var index = 0
        while index < bitCount, node < nodeCount {
            node = Self.readRecord(file, node: node, bit: address.bit(index), recordSize: recordSize, nodeByteSize: nodeByteSize)
            index += 1
        }
        if let pages, pages.readFailures != failuresBefore {
            throw FreshetError(
                .geoipUnreadableDatabase, "cannot read the private copy of MaxMind DB \(source) while looking up \(address)", retriable: true)
        }
        depth += index
        let prefixLength = address.isIPv4 && metadata.ipVersion == 6 ? max(0, depth - 96) : depth
        if node == nodeCount {
            return MaxMindLookup(record: nil, prefixLength: prefixLength)
        }
        if node < nodeCount {
            throw FreshetError(
                .geoipInvalidDatabase,
                "MaxMind DB \(source) is corrupt: the search tree for \(address) still points to node \(node) after all \(bitCount) bits; replace the file"
            )
        }
        return MaxMindLookup(record: try record(forTreeValue: node, while: "looking up \(address)"), prefixLength: prefixLength)
    }

    /// The record a search-tree record value greater than the node count points to.
    func record(forTreeValue value: Int, while what: @autoclosure () -> String) throws -> MaxMindRecord {
        let offset = value - nodeCount - 16
        guard value - nodeCount >= 16, offset < data.sectionSize else {
            let place = value - nodeCount < 16 ? "into the 16-byte data section separator" : "past the end of the data section (\(data.sectionSize) bytes)"
            throw FreshetError(
                .geoipInvalidDatabase,
                "MaxMind DB \(source) is corrupt: search tree record value \(value) (node count \(nodeCount)) points \(place) while \(what()); replace the file"
            )
        }
        return MaxMindRecord(database: self, offset: offset)
    }

    /// The left (`bit` 0) or right (`bit` 1) record of `node`; `node` is below the node count, whose tree
    /// was checked to lie inside the file.
    @inline(__always)
    static func readRecord(_ file: MaxMindBytes, node: Int, bit: Int, recordSize: Int, nodeByteSize: Int) -> Int {
        guard file.isPaged else {
            return readRecord(file.memory, base: node * nodeByteSize, bit: bit, recordSize: recordSize)
        }
        return file.withBytes(node * nodeByteSize, nodeByteSize) { readRecord($0, base: 0, bit: bit, recordSize: recordSize) }
    }

    /// The left or right record of the node whose bytes start at `base` in `file`.
    @inline(__always)
    static func readRecord(_ file: UnsafeBufferPointer<UInt8>, base: Int, bit: Int, recordSize: Int) -> Int {
        switch recordSize {
        case 24:
            let at = base + bit * 3
            return Int(file[at]) << 16 | Int(file[at + 1]) << 8 | Int(file[at + 2])
        case 28:
            if bit == 0 {
                return (Int(file[base + 3]) & 0xF0) << 20 | Int(file[base]) << 16 | Int(file[base + 1]) << 8 | Int(file[base + 2])
            }
            return (Int(file[base + 3]) & 0x0F) << 24 | Int(file[base + 4]) << 16 | Int(file[base + 5]) << 8 | Int(file[base + 6])
        default:
            let at = base + bit * 4
            return Int(file[at]) << 24 | Int(file[at + 1]) << 16 | Int(file[at + 2]) << 8 | Int(file[at + 3])
        }
    }

    static func findMetadataMarker(_ file: MaxMindBytes, source: String) throws -> Int {
        let marker = metadataMarker
        let lowest = max(0, file.count - maximumMetadataSize)
        var start = file.count - marker.count
        while start >= lowest {
            if file[start] == marker[0] {
                var matches = true
                for index in 1..<marker.count where file[start + index] != marker[index] {
                    matches = false
                    break
                }
                if matches { return start }
            }
            start -= 1
        }
        throw FreshetError(
            .geoipInvalidDatabase,
            "\(source) is not a MaxMind DB or is truncated: no metadata marker (\\xAB\\xCD\\xEFMaxMind.com) in its last \(min(file.count, maximumMetadataSize)) bytes; replace the file"
        )
    }

    /// Copies the file at `path` into an unnamed file in its directory and returns the copy's descriptor
    /// (the caller owns it), its size and the file's stamp; `nil` when that directory cannot hold an
    /// unnamed file (the caller then reads the file into the heap). The file's stamp is taken from the
    /// open descriptor before and after the copy, as ``readFile(_:)`` does.
    static func makePrivateCopy(_ path: String) throws -> (Int32, Int, FileStamp)? {
        // Linux `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`, a macro Swift does not import).
        #if os(Linux) && arch(x86_64)
        let flag: Int32 = 0o20_200_000
        #elseif os(Linux) && arch(arm64)
        let flag: Int32 = 0o20_040_000
        #else
        return nil
        #endif
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        func failure(_ what: String) -> FreshetError { fileFailure(what, path) }
        let (descriptor, before) = try openForReading(path)
        defer { close(descriptor) }
        let size = Int(before.st_size)
        guard size > 0 else { return nil }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]).isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let copy = open(directory, flag | O_RDWR | O_CLOEXEC, 0o600)
        guard copy >= 0 else { return nil }
        var keep = false
        defer { if !keep { close(copy) } }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var copied = 0
        while copied < size {
            let count = read(descriptor, buffer, min(chunk, size - copied))
            if count < 0, errno == EINTR { continue }
            if count < 0 { throw failure("read") }
            if count == 0 {
                throw FreshetError(.geoipUnreadableDatabase, "MaxMind DB \(path) shrank while being read; try again", retriable: true)
            }
            var written = 0
            while written < count {
                let result = write(copy, buffer + written, count - written)
                if result < 0, errno == EINTR { continue }
                if result <= 0 { return nil }  // no room for the copy: fall back to the heap
                written += result
            }
            copied += count
        }
        var after = stat()
        let stamp = FileStamp(before)
        guard fstat(descriptor, &after) == 0, FileStamp(after) == stamp else {
            throw FreshetError(.geoipUnreadableDatabase, "MaxMind DB \(path) changed while being read; try again", retriable: true)
        }
        // Lookups jump around the file: no read-ahead (an advice; failure changes nothing).
        _ = posix_fadvise(copy, 0, off_t(size), POSIX_FADV_RANDOM)
        keep = true
        return (copy, size, stamp)
        #else
        return nil
        #endif
    }

    /// `path` opened read-only, with its `fstat`; the caller closes the descriptor.
    static func openForReading(_ path: String) throws -> (descriptor: Int32, stat: stat) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw fileFailure("open", path) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = fileFailure("stat", path)
            close(descriptor)
            throw error
        }
        return (descriptor, status)
    }

    /// The retriable error of a failed file operation `what` on `path`, with `errno`'s description.
    static func fileFailure(_ what: String, _ path: String) -> FreshetError {
        let code = errno
        return FreshetError(
            .geoipUnreadableDatabase, "cannot \(what) MaxMind DB \(path): \(String(cString: strerror(code))) (errno \(code))",
            retriable: true)
    }

    /// Reads the whole file into a new buffer, with the file's stamp taken from the open descriptor.
    static func readFile(_ path: String) throws -> (UnsafeMutableBufferPointer<UInt8>, Int, FileStamp) {
        func failure(_ what: String) -> FreshetError { fileFailure(what, path) }
        let (descriptor, before) = try openForReading(path)
        defer { close(descriptor) }
        let size = Int(before.st_size)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(size, 1))
        var filled = 0
        while filled < size {
            let count = read(descriptor, buffer.baseAddress! + filled, size - filled)
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                let error = count == 0 ? FreshetError(.geoipUnreadableDatabase, "MaxMind DB \(path) shrank while being read; try again", retriable: true) : failure("read")
                buffer.deallocate()
                throw error
            }
            filled += count
        }
        var after = stat()
        let stamp = FileStamp(before)
        guard fstat(descriptor, &after) == 0, FileStamp(after) == stamp else {
            buffer.deallocate()
            throw FreshetError(.geoipUnreadableDatabase, "MaxMind DB \(path) changed while being read; try again", retriable: true)
        }
        return (buffer, size, stamp)
    }

    /// The stamp of the file at `path` now, without reading it.
    public static func stamp(ofFile path: String) throws -> FileStamp {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            throw FreshetError(
                .geoipUnreadableDatabase, "cannot stat MaxMind DB \(path): \(String(cString: strerror(code))) (errno \(code))",
                retriable: true)
        }
        return FileStamp(status)
    }
}

/// The outcome of ``MaxMindDatabase/lookup(_:)``.
public struct MaxMindLookup: Sendable {
    /// The record of the network containing the address, or `nil` when the database has none.
    public var record: MaxMindRecord?
    /// The prefix length of that network (or of the empty network the walk ended in).
    public var prefixLength: Int
}

extension MaxMindDatabase.FileStamp {
    init(_ status: stat) {
        #if canImport(Darwin)
        let modification = status.st_mtimespec
        #else
        let modification = status.st_mtim
        #endif
        self.init(
            device: UInt64(truncatingIfNeeded: status.st_dev), inode: UInt64(truncatingIfNeeded: status.st_ino),
            size: Int64(status.st_size), modificationSeconds: Int64(modification.tv_sec),
            modificationNanoseconds: Int64(modification.tv_nsec))
    }
}
