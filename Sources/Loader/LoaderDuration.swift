/// `250ms`, `1s`, `5m`, `1h` → `Duration`, for the loader's duration options.
enum LoaderDuration {
    static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if suffix == "s", number.hasSuffix("m") { continue }  // "ms", tried first
            guard let value = Int64(number), value >= 0 else { return nil }
            return .milliseconds(value * milliseconds)
        }
        return nil
    }
}
