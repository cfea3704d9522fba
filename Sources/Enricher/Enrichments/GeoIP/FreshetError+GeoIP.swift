import Shared

extension FreshetError.Code {
    /// A MaxMind DB (`.mmdb`) file is corrupt, truncated or not a MaxMind DB at all. The message says what
    /// is wrong and at which byte offset. Not retriable: the file must be replaced.
    public static let geoipInvalidDatabase: Self = "geoip.invalid_database"
    /// A MaxMind DB file could not be opened or read (missing, permissions, I/O error). The message carries
    /// the system error. Retriable: the file may appear or become readable later.
    public static let geoipUnreadableDatabase: Self = "geoip.unreadable_database"
    /// An IPv6 address was looked up in a database that holds only IPv4 data (`ip_version` 4).
    public static let geoipAddressFamilyMismatch: Self = "geoip.address_family_mismatch"
}
