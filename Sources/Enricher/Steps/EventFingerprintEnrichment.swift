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

        private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

        /// Lower-case hex, written straight into the new string's storage.
        private static func hex(_ digest: some Digest) -> String {
            digest.withUnsafeBytes { bytes in
                Self.digits.withUnsafeBufferPointer { digits in
                    String(unsafeUninitializedCapacity: bytes.count * 2) { output in
                        for (position, byte) in bytes.enumerated() {
                            output[2 * position] = digits[Int(byte >> 4)]
                            output[2 * position + 1] = digits[Int(byte & 0xF)]
                        }
                        return bytes.count * 2
                    }
                }
            }
        }
    }

    /// Parameters left out of the hash. Default (Snowplow's example configuration): `cv`, `eid`, `nuid`, `stm`.
    let excludedParameters: Set<String>
    /// Default: MD5.
    let algorithm: Algorithm
    let identity: BadRow.EnrichmentFailures.Enrichment?
    var step: EnrichmentStep { .eventFingerprint }

    /// ``TrackerParameters/packedName(_:)`` of each excluded name, when every excluded name packs (1–7 ASCII bytes);
    /// `nil` otherwise. Then a name that packs is excluded exactly when its packed form is listed
    /// (ASCII names are equal exactly when their bytes are), and only other names need the set.
    private let excludedKeys: [UInt64]?

    init(excludedParameters: Set<String>, algorithm: Algorithm, identity: BadRow.EnrichmentFailures.Enrichment?) {
        self.excludedParameters = excludedParameters
        self.algorithm = algorithm
        self.identity = identity
        let keys = excludedParameters.map(TrackerParameters.packedName)
        self.excludedKeys = keys.contains(0) ? nil : keys
    }

    func enrich(_ context: inout EnrichmentContext) {
        context.event.eventFingerprint = fingerprint(of: context.parameters)
    }

    /// The fingerprint of `parameters`.
    func fingerprint(of parameters: TrackerParameters) -> String {
        let unitSeparator = UInt8(0x1F)
        let elements = parameters.elements
        var input: [UInt8] = []
        input.reserveCapacity(512)
        for position in Self.sortedPositions(elements) {
            var (name, value) = elements[position]
            if isExcluded(name) { continue }
            name.withUTF8 { input.append(contentsOf: $0) }
            input.append(unitSeparator)
            value.withUTF8 { input.append(contentsOf: $0) }
            input.append(unitSeparator)
        }
        return algorithm.hexDigest(input)
    }

    @inline(__always)
    private func isExcluded(_ name: String) -> Bool {
        if let excludedKeys {
            let key = TrackerParameters.packedName(name)
            if key != 0 { return excludedKeys.contains(key) }
        }
        return excludedParameters.contains(name)
    }

    /// `elements` stably sorted by name in UTF-16 code unit order (Java's `String.compareTo`, what enrich
    /// sorts with). Names of at most 16 bytes none of which is 0xEE or above — every tracker parameter
    /// name — are compared as two big-endian integers of their UTF-8 bytes, zero-padded: below U+E000,
    /// UTF-8 byte order is UTF-16 code unit order, and a zero pad sorts a prefix first. Any other name
    /// makes the whole sort compare UTF-16 code units, so the order is the same either way.
    static func sortedByName(_ elements: [TrackerParameters.Element]) -> [TrackerParameters.Element] {
        sortedPositions(elements).map { elements[$0] }
    }

    /// The positions of ``sortedByName(_:)``'s order.
    static func sortedPositions(_ elements: [TrackerParameters.Element]) -> [Int] {
        var keyed: [(high: UInt64, low: UInt64, position: Int)] = []
        keyed.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            var high: UInt64 = 0
            var low: UInt64 = 0
            var count = 0
            for byte in element.name.utf8 {
                // A NUL byte would compare like the pad: take the exact path for it too.
                guard count < 16, byte < 0xEE, byte != 0 else {
                    return elements.indices.sorted { elements[$0].name.utf16.lexicographicallyPrecedes(elements[$1].name.utf16) }
                }
                if count < 8 {
                    high |= UInt64(byte) << UInt64(56 - 8 * count)
                } else {
                    low |= UInt64(byte) << UInt64(56 - 8 * (count - 8))
                }
                count += 1
            }
            keyed.append((high, low, position))
        }
        keyed.sort { $0.high != $1.high ? $0.high < $1.high : $0.low != $1.low ? $0.low < $1.low : $0.position < $1.position }
        return keyed.map { $0.position }
    }
}
