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
    ///
    /// The input is written once into storage of its final size (an upper bound: every parameter's name
    /// and value and two separators), reading each name and value in place.
    func fingerprint(of parameters: TrackerParameters) -> String {
        let unitSeparator = UInt8(0x1F)
        let elements = parameters.elements
        var capacity = 0
        for position in elements.indices {
            capacity += elements[position].name.utf8.count + elements[position].value.utf8.count + 2
        }
        let input = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var at = 0
            func write(_ text: String) {
                let written = text.utf8.withContiguousStorageIfAvailable { bytes -> Int in
                    guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
                    (buffer.baseAddress! + at).initialize(from: base, count: bytes.count)
                    return bytes.count
                }
                if let written {
                    at += written
                } else {
                    for byte in text.utf8 {
                        buffer[at] = byte
                        at += 1
                    }
                }
                buffer[at] = unitSeparator
                at += 1
            }
            Self.forEachSortedPosition(elements) { position in
                if isExcluded(elements[position].name) { return }
                write(elements[position].name)
                write(elements[position].value)
            }
            count = at
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
        var positions: [Int] = []
        positions.reserveCapacity(elements.count)
        forEachSortedPosition(elements) { positions.append($0) }
        return positions
    }

    /// Calls `body` with each position of `elements` in ``sortedByName(_:)``'s order.
    ///
    /// Up to 255 names of at most 7 bytes (every tracker parameter's) sort as one integer each: the
    /// name's bytes big-endian in the high seven bytes, zero-padded, and the position in the low byte
    /// (which also keeps the sort stable). Otherwise two integers of 8 bytes each and the position.
    static func forEachSortedPosition(_ elements: [TrackerParameters.Element], _ body: (Int) -> Void) {
        if elements.count < 256, let packed = packedShortNames(elements) {
            for key in packed.sorted() { body(Int(key & 0xFF)) }
            return
        }
        var keyed: [(high: UInt64, low: UInt64, position: Int)] = []
        keyed.reserveCapacity(elements.count)
        for position in elements.indices {
            var high: UInt64 = 0
            var low: UInt64 = 0
            var count = 0
            for byte in elements[position].name.utf8 {
                // A NUL byte would compare like the pad: take the exact path for it too.
                guard count < 16, byte < 0xEE, byte != 0 else {
                    let exact = elements.indices.sorted {
                        elements[$0].name.utf16.lexicographicallyPrecedes(elements[$1].name.utf16)
                    }
                    for position in exact { body(position) }
                    return
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
        for entry in keyed { body(entry.position) }
    }

    /// One key per element (name bytes in the high seven bytes, position in the low byte), or `nil` when
    /// a name is longer than 7 bytes or has a byte the short comparison cannot order (0, or 0xEE and up).
    private static func packedShortNames(_ elements: [TrackerParameters.Element]) -> [UInt64]? {
        var packed: [UInt64] = []
        packed.reserveCapacity(elements.count)
        for position in elements.indices {
            var key: UInt64 = 0
            var shift: UInt64 = 56
            for byte in elements[position].name.utf8 {
                guard shift >= 8, byte < 0xEE, byte != 0 else { return nil }
                key |= UInt64(byte) << shift
                shift -= 8
            }
            packed.append(key | UInt64(position))
        }
        return packed
    }
}
