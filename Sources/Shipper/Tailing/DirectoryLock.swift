import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// Exclusive ownership of an input directory (or the registry) by one shipper process: a
/// non-blocking `flock(LOCK_EX)` on a lock file, held until the process exits.
///
/// This is what lets several shippers run side by side, each over its own collector directories: a
/// second shipper pointed at a directory already owned is refused at start, so every file is shipped
/// by exactly one shipper. The kernel drops the lock when the process dies (also on SIGKILL), so a
/// crashed shipper never leaves a stale lock behind.
enum DirectoryLock {
    /// The lock file of an input directory. Its name starts with a dot so input patterns such as
    /// `*.log` never match it.
    static func lockPath(directory: String) -> String { directory + "/.freshet-shipper.lock" }

    /// Takes the lock on `path` and returns its descriptor (keep it open to keep the lock).
    ///
    /// - Throws: ``FreshetError/Code/shipperDirectoryLocked`` when another process holds it,
    ///   ``FreshetError/Code/shipperInputUnavailable`` when the lock file cannot be created.
    static func acquire(path: String, what: String) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FreshetError(
                .shipperInputUnavailable,
                "cannot create the lock file \(path) for \(what): \(String(cString: strerror(errno))). Check that the directory exists and is writable",
                retriable: true)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let held = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            if held {
                throw FreshetError(
                    .shipperDirectoryLocked,
                    "\(what) is already shipped by another shipper (it holds \(path)). Give each shipper its own collector directories and registry"
                )
            }
            throw FreshetError(.shipperInputUnavailable, "cannot lock \(path) for \(what): \(reason)", retriable: true)
        }
        // Record who holds it, for people looking at the directory.
        let note = "pid \(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
        return fd
    }
}
