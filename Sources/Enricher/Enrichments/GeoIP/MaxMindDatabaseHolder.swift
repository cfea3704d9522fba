import Logging
import Shared
import Synchronization

/// Holds the current ``MaxMindDatabase`` read from a file and replaces it, while lookups go on, when the
/// file changes on disk.
///
/// Replacement: ``reloadIfChanged()`` compares the file's stamp (device, inode, size, modification time)
/// with the loaded one; when it differs it copies the new file (into an unnamed file it maps, or into the
/// heap: see ``MaxMindDatabase``), opens it and (by default)
/// ``MaxMindDatabase/verify()``s it, and only then swaps it in atomically. A new file that fails keeps
/// the old database serving, is logged as an error, and is not tried again until its stamp changes.
/// Replace files by writing a new file and renaming it over the old one (`mv`), so a reader never sees
/// a half-written file; a file copied over in place is still safe (the read is checked for changes and
/// validated), it just may be rejected once.
///
/// Lookups in progress keep the database they started with: ``database`` hands out a strong reference,
/// and the old database is freed when the last such reference goes away.
///
/// Threading: all members may be called from any thread. ``reloadIfChanged()`` blocks while it copies
/// and verifies a file (under a second for GeoLite2-City): call it from a dedicated thread, or use ``watch(every:)``
/// which runs it off Swift's cooperative pool. Concurrent reloads run one at a time.
public final class MaxMindDatabaseHolder: Sendable {
    /// What ``reloadIfChanged()`` did.
    public enum ReloadOutcome: Sendable {
        /// The file has the stamp of the loaded database (or of a file already rejected).
        case unchanged
        /// A new database was loaded and swapped in.
        case replaced(MaxMindDatabase)
        /// The changed file was refused; the previous database is still in use.
        case rejected(FreshetError)
    }

    private struct Current: Sendable {
        var database: MaxMindDatabase
        var generation: Int
    }

    private struct ReloadState: Sendable {
        var rejectedStamp: MaxMindDatabase.FileStamp?
    }

    /// The file this holder loads.
    public let path: String
    /// Whether a replacement must pass ``MaxMindDatabase/verify()`` before it is used.
    public let verifiesReplacements: Bool
    private let current: Mutex<Current>
    private let reloading = Mutex(ReloadState())
    private let logger: Logger

    /// Loads (and, with `verify`, verifies) the database at `path`.
    /// - Parameters:
    ///   - verify: run ``MaxMindDatabase/verify()`` on the first load and on every replacement. Default: true.
    ///   - logger: receives replacement and rejection messages (metadata `component`: `enricher.geoip`).
    /// - Throws: `geoip.unreadable_database` or `geoip.invalid_database` when the file cannot be used.
    public init(path: String, verify: Bool = true, logger: Logger = Logger(label: "freshet.enricher.geoip")) throws {
        let database = try Self.load(path, verify: verify)
        self.path = path
        self.verifiesReplacements = verify
        self.logger = logger
        self.current = Mutex(Current(database: database, generation: 0))
    }

    /// The database to use now. Keep the reference for the duration of one lookup.
    public var database: MaxMindDatabase {
        current.withLock { $0.database }
    }

    /// Counts replacements: 0 for the first database, +1 for each swap. Caches keyed on results of
    /// this holder compare it to notice a replacement.
    public var generation: Int {
        current.withLock { $0.generation }
    }

    /// The database and its generation, read together.
    public var snapshot: (database: MaxMindDatabase, generation: Int) {
        current.withLock { ($0.database, $0.generation) }
    }

    /// Replaces the database when the file changed since it was loaded. Blocks while loading.
    @discardableResult
    public func reloadIfChanged() -> ReloadOutcome {
        reloading.withLock { state in
            let loadedStamp = database.fileStamp
            let stamp: MaxMindDatabase.FileStamp
            do {
                stamp = try MaxMindDatabase.stamp(ofFile: path)
            } catch let error as FreshetError {
                // The file vanished or became unreadable: keep serving the loaded copy.
                return reject(error, stamp: nil, state: &state)
            } catch {
                return .unchanged
            }
            if stamp == loadedStamp || stamp == state.rejectedStamp { return .unchanged }
            do {
                let replacement = try Self.load(path, verify: verifiesReplacements)
                let generation = current.withLock { current in
                    current.database = replacement
                    current.generation += 1
                    return current.generation
                }
                state.rejectedStamp = nil
                logger.info(
                    "Replaced MaxMind DB with the changed file",
                    metadata: [
                        "component": "enricher.geoip", "path": "\(path)", "generation": "\(generation)",
                        "database_type": "\(replacement.metadata.databaseType)",
                        "build_epoch": "\(replacement.metadata.buildEpoch)",
                    ])
                return .replaced(replacement)
            } catch let error as FreshetError {
                return reject(error, stamp: stamp, state: &state)
            } catch {
                return reject(FreshetError(.geoipInvalidDatabase, "\(error)"), stamp: stamp, state: &state)
            }
        }
    }

    private func reject(_ error: FreshetError, stamp: MaxMindDatabase.FileStamp?, state: inout ReloadState) -> ReloadOutcome {
        if stamp == nil || stamp != state.rejectedStamp {
            logger.error(
                "Refused the changed MaxMind DB; still using the previously loaded one",
                metadata: [
                    "component": "enricher.geoip", "path": "\(path)", "error.code": "\(error.code)",
                    "error.message": "\(error.message)",
                ])
        }
        // A vanished file is retried each time; a bad file only once its stamp changes again.
        if let stamp { state.rejectedStamp = stamp }
        return .rejected(error)
    }

    /// Calls ``reloadIfChanged()`` every `interval` until the task is cancelled; each reload runs on
    /// `executor`, off the cooperative pool.
    public func watch(every interval: Duration, executor: BlockingExecutor = BlockingExecutor(label: "freshet.enricher.geoip.reload")) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            _ = try? await executor.run { [self] in
                _ = reloadIfChanged()
            }
        }
    }

    static func load(_ path: String, verify: Bool) throws -> MaxMindDatabase {
        let database = try MaxMindDatabase(contentsOfFile: path)
        if verify { try database.verify() }
        return database
    }
}
