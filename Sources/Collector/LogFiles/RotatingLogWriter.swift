#if canImport(Glibc)
import Glibc
#endif
import Shared

/// Appends collector-payload lines to an active file and rotates it by size and by age, the way nginx
/// and logrotate do it: rename the active file to its finished name, then create a new active file.
///
/// Names (see ``CollectorLogNaming``): the active file is `<stem>.log`; a finished file is
/// `<stem>.<UTC timestamp>.log` and is never written again, so the shipper may delete it once shipped.
/// An empty active file is not rotated.
///
/// Threading: confined to one owner (an event loop); not thread-safe.
final class RotatingLogWriter {
    struct Configuration: Sendable {
        /// The directory holding the active and finished files.
        var directory: String
        /// The file name stem, unique per writer, e.g. `collector-host1-w0`.
        var stem: String
        /// Rotate once the active file would exceed this size. Default: 64 MiB.
        var maxFileBytes: Int = 64 << 20
        /// Rotate a non-empty active file this long after it was opened. Default: 5 minutes.
        var maxFileAge: Duration = .seconds(300)
    }

    let configuration: Configuration
    private(set) var current: CollectorLogFile?
    private(set) var rotations = 0
    private let onRotate: (String) -> Void

    /// - Parameter onRotate: called with the finished file's path after each rotation.
    init(configuration: Configuration, onRotate: @escaping (String) -> Void = { _ in }) throws {
        self.configuration = configuration
        self.onRotate = onRotate
        self.current = try CollectorLogFile(path: activePath)
    }

    var activePath: String { configuration.directory + "/" + CollectorLogNaming.activeName(stem: configuration.stem) }

    /// Appends whole lines; rotates first when the batch would push the file over its size limit.
    /// Returns the file the bytes went to (the caller may `sync()` it later).
    @discardableResult
    func append(_ bytes: UnsafeRawBufferPointer) throws -> CollectorLogFile {
        if let file = current, file.size > 0, file.size + bytes.count > configuration.maxFileBytes {
            try rotate()
        }
        let file = try currentOrReopen()
        try file.append(bytes)
        return file
    }

    /// Rotates the active file if it is older than `maxFileAge` and not empty. Called by a timer.
    func rotateIfAged(now: ContinuousClock.Instant = .now) throws {
        guard let file = current, file.size > 0, now - file.openedAt >= configuration.maxFileAge else { return }
        try rotate()
    }

    /// Renames the active file to its finished name and opens a new active file.
    func rotate() throws {
        guard let file = current, file.size > 0 else { return }
        var attempt = 0
        var finished = configuration.directory + "/" + CollectorLogNaming.finishedName(stem: configuration.stem)
        while access(finished, F_OK) == 0 {  // two rotations within one millisecond
            attempt += 1
            finished = configuration.directory + "/" + CollectorLogNaming.finishedName(stem: configuration.stem, attempt: attempt)
        }
        guard rename(file.path, finished) == 0 else {
            throw FreshetError(.io, "cannot rotate \(file.path) to \(finished): \(String(cString: strerror(errno)))", retriable: true)
        }
        // The old descriptor stays open until the last in-flight sync of it ends (see CollectorLogFile).
        current = nil
        rotations += 1
        onRotate(finished)
        current = try CollectorLogFile(path: activePath)
    }

    private func currentOrReopen() throws -> CollectorLogFile {
        if let current { return current }
        // A previous rotation renamed the file but could not create the next one: try again now.
        let file = try CollectorLogFile(path: activePath)
        current = file
        return file
    }
}
