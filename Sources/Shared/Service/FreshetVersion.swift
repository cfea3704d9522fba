/// The version of Freshet, reported in logs, `/health`, bad rows (`processor.version`) and the
/// `v_collector` / `v_etl` fields.
public enum FreshetVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
