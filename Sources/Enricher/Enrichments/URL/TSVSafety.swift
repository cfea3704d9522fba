/// Snowplow's text clean-up for enriched-event string fields (`ConversionUtils.fixTabsNewlines` /
/// `makeTsvSafe`). Pure functions; safe to call from any thread.
public enum TSVSafety {
    /// Snowplow's `fixTabsNewlines`: tab → four spaces, ASCII control characters removed, "" → nil.
    public static func fixTabsNewlines(_ text: String) -> String? {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                out += "    "
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                continue
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out.isEmpty ? nil : out
    }
}
