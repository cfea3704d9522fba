/// When the collector asks the kernel to put appended lines on disk (`fdatasync`).
///
/// Every policy answers a tracker only after its line reached the operating system (`write(2)` returned),
/// so a crash of the collector process never loses an acknowledged event. The policies differ in what
/// a crash of the *machine* (power loss, kernel panic) can lose:
///
/// | policy | lost on power loss | cost |
/// |---|---|---|
/// | `none` | up to the kernel's writeback delay (~30 s on Linux defaults) | none: the fastest |
/// | `interval(d)` | up to `d` of acknowledged events | one `fdatasync` per `d`, off the request path |
/// | `everyBatch` | nothing acknowledged | each write batch waits for the disk before its answers go out; throughput is bounded by the disk's flush latency (batches grow under load, so it degrades gracefully) |
enum FsyncPolicy: Sendable, Equatable, CustomStringConvertible {
    case none
    case interval(Duration)
    case everyBatch

    /// Parses `none`, `batch` or an interval such as `1s`, `250ms`.
    init?(argument: String) {
        switch argument.lowercased() {
        case "none", "never", "off": self = .none
        case "batch", "every-batch", "always": self = .everyBatch
        default:
            guard let duration = DurationParser.parse(argument), duration > .zero else { return nil }
            self = .interval(duration)
        }
    }

    var description: String {
        switch self {
        case .none: "none"
        case .everyBatch: "batch"
        case .interval(let duration): DurationParser.format(duration)
        }
    }
}

/// `250ms`, `1s`, `5m`, `1h`, `2d` ↔ `Duration`.
enum DurationParser {
    static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "ms" must not be read as "m" + "s": the longest suffix is tried first.
            if suffix == "s", number.hasSuffix("m") { continue }
            guard let value = Int64(number), value >= 0 else { return nil }
            return .milliseconds(value * milliseconds)
        }
        return nil
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        return "\(milliseconds / 1000)s"
    }
}
