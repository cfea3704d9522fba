import Foundation
import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// Loads and atomically replaces the registry file.
///
/// A write never leaves a half-written registry behind: the bytes go to `<path>.tmp`, which is
/// `fsync`ed, renamed over `<path>`, and then the directory is `fsync`ed so the rename itself survives
/// a power loss (the order Filebeat settled on, elastic/beats#3537). A crash at any point leaves either
/// the previous registry or the new one.
///
/// The store also holds an exclusive `flock` on `<path>.lock` for the process's lifetime, so two
/// shippers can never write the same registry.
///
/// Threading: `write` blocks on the disk; call it from a ``BlockingExecutor``, one call at a time.
final class RegistryStore: @unchecked Sendable {  // immutable after init; the lock descriptor is only closed in deinit
    let path: String
    private let lockDescriptor: Int32

    /// Takes the registry's lock.
    ///
    /// - Throws: ``FreshetError/Code/shipperDirectoryLocked`` when another process holds it,
    ///   ``FreshetError/Code/io`` when the directory is not writable.
    init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        lockDescriptor = try DirectoryLock.acquire(path: path + ".lock", what: "the shipper registry \(path)")
    }

    deinit { close(lockDescriptor) }

    /// The registry on disk; an empty one when there is no file yet.
    func load() throws -> ShipperRegistry {
        guard let data = FileManager.default.contents(atPath: path) else { return ShipperRegistry() }
        if data.isEmpty { return ShipperRegistry() }
        return try ShipperRegistry.decode(data)
    }

    /// Replaces the registry on disk with `registry` (temporary file, fsync, rename, fsync directory).
    func write(_ registry: ShipperRegistry) throws {
        let bytes = try registry.encoded()
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create \(temporary)") }
        var ok = bytes.withUnsafeBytes { buffer -> Bool in
            var written = 0
            while written < buffer.count {
                let result = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 && errno == EINTR { continue }
                if result <= 0 { return false }
                written += result
            }
            return true
        }
        if ok { ok = fsync(fd) == 0 }
        let reason = String(cString: strerror(errno))
        close(fd)
        guard ok else { throw failure("cannot write \(temporary): \(reason)") }
        guard rename(temporary, path) == 0 else { throw failure("cannot rename \(temporary) to \(path)") }
        try syncDirectory()
    }

    /// Whether the registry's directory accepts new files right now (for `/ready`).
    func checkWritable() throws {
        let probe = path + ".probe"
        let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create a file next to the registry (\(probe))") }
        close(fd)
        unlink(probe)
    }

    private func syncDirectory() throws {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open the registry's directory") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("cannot sync the registry's directory") }
    }

    private func failure(_ what: String) -> FreshetError {
        FreshetError(
            .shipperRegistryWriteFailed,
            "\(what): \(String(cString: strerror(errno))). Check that the registry's directory exists, is writable and has free space",
            retriable: true)
    }
}
