import Shared

extension FreshetError.Code {
    /// The ClickHouse database name is not a plain identifier. Not retriable: fix `--clickhouse-database`.
    static let loaderInvalidDatabase: Self = "loader.invalid_database"
    /// An insert kept failing with a retriable error until the loader was asked to stop; nothing of
    /// that batch was committed, so it is loaded again on the next start.
    static let loaderInsertAbandoned: Self = "loader.insert_abandoned"
    /// ClickHouse rejected a batch for a reason retrying cannot fix and that is not one row's fault
    /// (e.g. a missing table): the loader stops rather than skip data.
    static let loaderBatchRejected: Self = "loader.batch_rejected"
    /// A bad row the loader made could not be delivered to the `bad` topic.
    static let loaderBadRowNotDelivered: Self = "loader.bad_row_not_delivered"
    /// An invalid option value for `loader report`.
    static let loaderInvalidReportRange: Self = "loader.invalid_report_range"
}
