import Shared

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
