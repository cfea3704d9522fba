#if canImport(Glibc)
import Glibc
#endif
import Shared

/// One append-only log file of collector payloads, open for writing.
///
/// Appends are single `write(2)` calls of whole lines (looping only on a short write); when a write
/// fails part-way (disk full, I/O error) the file is truncated back to its last complete line, so a
/// reader never sees a partial line from a failed batch.
///
/// Threading: `append` is called by one owner (an event loop); `sync()` may run
/// concurrently on another thread — the descriptor stays valid until the last reference is gone
/// (`deinit` closes it), so an in-flight `fdatasync` never hits a reused descriptor.
final class CollectorLogFile: @unchecked Sendable {  // fd and size are mutated only by the owning event loop
    let path: String
    let openedAt: ContinuousClock.Instant
    private(set) var size: Int
    private var descriptor: Int32
    /// Identity of the file for the shipper (`st_dev`, `st_ino`), logged on rotation.
    let inode: UInt64

    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FreshetError(.io, "cannot open the collector log file \(path): \(String(cString: strerror(errno))). Check that the log directory exists and is writable.", retriable: true)
        }
        var info = stat()
        fstat(fd, &info)
        self.path = path
        self.descriptor = fd
        self.size = Int(info.st_size)
        self.inode = UInt64(info.st_ino)
        self.openedAt = .now
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Appends `bytes` (whole, newline-terminated lines). On failure the file is as before the call.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw FreshetError(.io, "the collector log file \(path) is closed", retriable: true) }
        let start = size
        var written = 0
        while written < bytes.count {
            let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                rollBack(to: start)
                throw FreshetError(.io, "cannot append to the collector log file \(path): \(reason)", retriable: true)
            }
            if result == 0 {
                rollBack(to: start)
                throw FreshetError(.io, "cannot append to the collector log file \(path): no progress (disk full?)", retriable: true)
            }
            written += result
        }
        size = start + written
    }

    /// `fdatasync` of what was appended so far. Safe from any thread.
    func sync() throws {
        guard descriptor >= 0 else { return }
        if fdatasync(descriptor) != 0 {
            throw FreshetError(.io, "cannot sync the collector log file \(path): \(String(cString: strerror(errno)))", retriable: true)
        }
    }

    private func rollBack(to length: Int) {
        // Remove the partial tail of the failed batch; O_APPEND writes continue from the new end.
        _ = ftruncate(descriptor, off_t(length))
    }
}
