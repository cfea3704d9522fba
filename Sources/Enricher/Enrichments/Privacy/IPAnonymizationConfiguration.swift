import Shared

/// Parameters of Snowplow's `anon_ip` enrichment
/// (`iglu:com.snowplowanalytics.snowplow/anon_ip/jsonschema/1-0-1`).
///
/// Value type; safe to share between threads.
public struct IPAnonymizationConfiguration: Sendable, Equatable {
    /// How many trailing IPv4 octets to replace with `x` (`anonOctets`), 1–4. Required.
    public var ipv4Octets: Int
    /// How many trailing IPv6 segments to replace with `x` (`anonSegments`), 1–8.
    /// Default: the value of `ipv4Octets`, as in Snowplow.
    public var ipv6Segments: Int

    /// Validates the ranges; a value out of range is a configuration error (never a crash).
    public init(ipv4Octets: Int, ipv6Segments: Int? = nil) throws(FreshetError) {
        guard (1...4).contains(ipv4Octets) else {
            throw FreshetError(
                .privacyInvalidConfiguration,
                "anon_ip: IPv4 address octets to anonymize must be 1, 2, 3 or 4; got \(ipv4Octets)"
            )
        }
        let segments = ipv6Segments ?? ipv4Octets
        guard (1...8).contains(segments) else {
            throw FreshetError(
                .privacyInvalidConfiguration,
                "anon_ip: IPv6 address segments to anonymize must be 1 to 8; got \(segments)"
            )
        }
        self.ipv4Octets = ipv4Octets
        self.ipv6Segments = segments
    }
}
