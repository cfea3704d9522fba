import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// Lists the regular files of an input directory whose names match its pattern, with their identity
/// and size.
///
/// Threading: blocking system calls; run it on a ``BlockingExecutor``. Stateless.
enum LogDirectoryScanner {
    struct Entry: Sendable, Equatable {
        var name: String
        var path: String
        var identity: FileIdentity
        var size: Int64
    }

    /// - Throws: ``FreshetError/Code/shipperInputUnavailable`` when the directory cannot be opened.
    static func scan(_ input: LogInput) throws -> [Entry] {
        guard let directory = opendir(input.directory) else {
            throw FreshetError(
                .shipperInputUnavailable,
                "cannot list the input directory \(input.directory): \(String(cString: strerror(errno)))",
                retriable: true)
        }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") || fnmatch(input.pattern, name, 0) != 0 { continue }
            let path = input.directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            entries.append(
                Entry(
                    name: name, path: path,
                    identity: FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)),
                    size: Int64(info.st_size)))
        }
        // Oldest names first: the collector's finished files sort by their timestamp.
        return entries.sorted { $0.name < $1.name }
    }
}
