import Crypto
import Shared

/// Step 12: `event_fingerprint`, enrich's `EventFingerprintEnrichment`: the hash of the event's raw
/// tracker parameters, sorted by name, each written `name U+001F value U+001F`, leaving out the
/// configured ones (Snowplow's example excludes `cv`, `eid`, `nuid`, `stm`: what differs between two
/// sends of the same event). Lower-case hex.
struct EventFingerprintEnrichment: Enrichment {
    /// The hash algorithms of `event_fingerprint_config` 1-0-1.
    enum Algorithm: String, Sendable, CaseIterable {
        case md5 = "MD5"
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha384 = "SHA384"
        case sha512 = "SHA512"

        func hexDigest(_ bytes: [UInt8]) -> String {
            switch self {
            case .md5: Self.hex(Insecure.MD5.hash(data: bytes))
            case .sha1: Self.hex(Insecure.SHA1.hash(data: bytes))
            case .sha256: Self.hex(SHA256.hash(data: bytes))
            case .sha384: Self.hex(SHA384.hash(data: bytes))
            case .sha512: Self.hex(SHA512.hash(data: bytes))
            }
        }

        private static func hex(_ digest: some Digest) -> String {
            let digits: [UInt8] = Array("0123456789abcdef".utf8)
            var output: [UInt8] = []
            output.reserveCapacity(Self.sha512ByteCount * 2)
            for byte in digest {
                output.append(digits[Int(byte >> 4)])
                output.append(digits[Int(byte & 0xF)])
            }
            return String(decoding: output, as: UTF8.self)
        }

        private static let sha512ByteCount = 64
    }

    /// Parameters left out of the hash. Default (Snowplow's example configuration): `cv`, `eid`, `nuid`, `stm`.
    let excludedParameters: Set<String>
    /// Default: MD5.
    let algorithm: Algorithm
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .eventFingerprint }

    func enrich(_ context: inout EnrichmentContext) {
        context.event.eventFingerprint = fingerprint(of: context.parameters)
    }

    /// The fingerprint of `parameters`.
    func fingerprint(of parameters: TrackerParameters) -> String {
        let unitSeparator = UInt8(0x1F)
        var input: [UInt8] = []
        input.reserveCapacity(512)
        for parameter in parameters.sorted(by: { $0.name.utf16.lexicographicallyPrecedes($1.name.utf16) })
        where !excludedParameters.contains(parameter.name) {
            input.append(contentsOf: parameter.name.utf8)
            input.append(unitSeparator)
            input.append(contentsOf: parameter.value.utf8)
            input.append(unitSeparator)
        }
        return algorithm.hexDigest(input)
    }
}
