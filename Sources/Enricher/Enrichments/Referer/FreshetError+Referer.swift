import Shared

extension FreshetError.Code {
    /// The referer database file is missing, unreadable, or not in the referer-parser format.
    public static let refererDatabaseInvalid: Self = "referer.database_invalid"
}
