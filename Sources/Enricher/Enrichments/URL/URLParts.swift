/// A URL exploded into the six parts Snowplow stores for `page_url` and `page_referrer`
/// (enrich `ConversionUtils.explodeUri`).
///
/// Every part is the *raw* text of the URL (percent-escapes are not decoded), exactly as
/// `java.net.URI.getRaw*` returns it. A part that is absent or empty is `nil`, as Snowplow's
/// `fixTabsNewlines` turns `""` into `null`.
///
/// Value type; safe to share between threads.
public struct URLParts: Sendable, Equatable {
    /// The URL as Snowplow stores it in `page_url` after its lenient fixes (spaces become `%20`;
    /// when the strict parse failed, illegal characters are percent-encoded). Equal to the input when
    /// it needed no fixing.
    public var url: String
    /// The scheme as written (case preserved), e.g. `https`. `nil` for a relative reference.
    public var scheme: String?
    /// The host as written (case preserved; an IPv6 literal keeps its brackets). `nil` when the URL has
    /// no server-based authority — Java's `URI.getHost` is `null` for hosts such as `exa_mple.com` or
    /// `café.fr`, and Snowplow inherits that.
    public var host: String?
    /// The explicit port, or `nil` when the URL has none.
    public var explicitPort: Int?
    /// The raw path (e.g. `/a%20b/c`), `nil` when empty or absent.
    public var path: String?
    /// The raw query without `?`, `nil` when empty or absent.
    public var query: String?
    /// The raw fragment without `#`, `nil` when empty or absent.
    public var fragment: String?
    /// The path with percent-escapes decoded as UTF-8 (Java's `URI.getPath`), used by the referer
    /// lookup. `nil` for opaque URLs such as `mailto:a@b.c`; `""` when a hierarchical URL has no path.
    public var decodedPath: String?

    /// The port Snowplow stores: the explicit port, else 443 when the scheme is exactly `https`
    /// (case-sensitive, as in Snowplow), else 80.
    public var port: Int {
        explicitPort ?? (scheme == "https" ? 443 : 80)
    }

    /// Which group of enriched-event columns to fill.
    public enum Columns: Sendable {
        /// `page_urlscheme`, `page_urlhost`, `page_urlport`, `page_urlpath`, `page_urlquery`, `page_urlfragment`.
        case page
        /// `refr_urlscheme`, `refr_urlhost`, `refr_urlport`, `refr_urlpath`, `refr_urlquery`, `refr_urlfragment`.
        case referrer
    }

    /// The enriched-event columns these parts fill, in TSV order, with their values (`nil` = empty
    /// column). The port is rendered as decimal text.
    public func columns(_ group: Columns) -> [(column: String, value: String?)] {
        let prefix = group == .page ? "page_url" : "refr_url"
        return [
            (prefix + "scheme", scheme),
            (prefix + "host", host),
            (prefix + "port", String(port)),
            (prefix + "path", path),
            (prefix + "query", query),
            (prefix + "fragment", fragment),
        ]
    }
}

/// A URL that neither the strict parse nor the lenient fixes could make sense of. Snowplow reports
/// this as an enrichment failure (`page_url`) or a failed referer parse (`page_referrer`).
public struct URLParseFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text that was given.
    public var input: String
    /// Why it could not be parsed, with the character index (in UTF-8 bytes) where known.
    public var reason: String

    public var description: String { "Provided URI [\(input)] could not be parsed: \(reason)" }
}
