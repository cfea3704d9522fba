/// How collector log files are named, shared by the collector (which writes them) and the shipper
/// (which recognises finished files and may delete them once shipped).
///
/// - active: `<stem>.log`
/// - finished: `<stem>.<yyyyMMdd>T<HHmmss>.<SSS>Z.log` (UTC), e.g. `collector-a-w0.20261127T011500.123Z.log`;
///   a second rotation in the same millisecond gets `-1`, `-2`, … before `.log`.
public enum CollectorLogNaming {
    public static func activeName(stem: String) -> String { stem + ".log" }

    /// The finished name for a rotation now; `attempt` > 0 adds `-<attempt>` for a name already taken.
    public static func finishedName(stem: String, attempt: Int = 0) -> String {
        stem + "." + SnowplowTimestamp.now().basicISO8601String + (attempt > 0 ? "-\(attempt)" : "") + ".log"
    }

    /// `true` for a finished file's name of `stem`.
    public static func isFinished(_ name: String) -> Bool {
        // <stem>.<8 digits>T<6 digits>.<3 digits>Z[-n].log
        guard name.hasSuffix(".log") else { return false }
        let parts = name.dropLast(4).split(separator: ".")
        guard parts.count >= 3 else { return false }
        let date = parts[parts.count - 2], millis = parts[parts.count - 1]
        return date.count == 15 && date.dropFirst(8).first == "T" && millis.first?.isNumber == true && millis.contains("Z")
    }
}
