import Shared

extension FreshetError.Code {
    /// The registry file exists but cannot be read as a registry.
    static let shipperRegistryUnreadable: Self = "shipper.registry_unreadable"
    /// Writing the registry (temporary file, fsync, rename) failed.
    static let shipperRegistryWriteFailed: Self = "shipper.registry_write_failed"
    /// Another shipper holds the lock of an input directory or of the registry.
    static let shipperDirectoryLocked: Self = "shipper.directory_locked"
    /// An input directory cannot be opened or listed.
    static let shipperInputUnavailable: Self = "shipper.input_unavailable"
    /// A log file could not be read.
    static let shipperReadFailed: Self = "shipper.read_failed"
}
