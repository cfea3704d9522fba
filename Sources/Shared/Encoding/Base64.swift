/// Base64 (RFC 4648) on bytes: the standard alphabet (`A–Z a–z 0–9 + /`, §4) or the URL-safe one
/// (`- _` for `+ /`, §5), with or without `=` padding, never with line breaks.
///
/// Hand-rolled because the per-event paths need it to be fast: Foundation's `Data(base64Encoded:)` on
/// Linux is several times slower than these table-driven loops and allocates a `Data` per call. The
/// buffer-based ``encode(_:into:alphabet:padded:)`` and ``decode(_:into:options:)`` write into memory
/// the caller owns; the collection-based overloads allocate the result.
///
/// What decoding accepts is chosen with ``DecodingOptions``:
/// - ``DecodingOptions/strict`` (the default; collector log lines): the standard alphabet only, a
///   length that is a multiple of 4, padding (at most two `=`) only at the very end, and zero unused
///   low bits before it — exactly the texts ``encode(_:into:alphabet:padded:)`` produces with the
///   standard alphabet and padding, so every valid text decodes to one byte sequence and back to the
///   same text.
/// - ``DecodingOptions/lenient`` (tracker parameters `cx` and `ue_px`, and enrich's redirect adapter):
///   what commons-codec `Base64(urlSafe = true)` accepts for well-formed input — both alphabets mixed
///   freely, padding optional, unused trailing bits ignored. Unlike commons-codec, which silently skips
///   characters outside the alphabet (and so hands garbage on to the JSON parser), any other character
///   — including whitespace and padding in the middle — or a length that leaves a single dangling
///   character is rejected.
///
/// Stateless; safe from any thread.
public enum Base64 {
    /// The two 64-character alphabets of RFC 4648.
    public enum Alphabet: Sendable, Hashable {
        /// `A–Z a–z 0–9 + /` (§4).
        case standard
        /// `A–Z a–z 0–9 - _` (§5), as the Snowplow trackers and commons-codec's URL-safe encoder write.
        case urlSafe
    }

    /// What ``decode(_:into:options:)`` accepts besides canonical standard base64.
    public struct DecodingOptions: Sendable, Hashable {
        /// Accept the URL-safe `-` and `_` as well as `+` and `/`, mixed freely.
        public var acceptsURLSafeAlphabet: Bool
        /// Require `=` padding to a multiple of 4 characters. Without it, padding is optional, but
        /// when present it must still complete the last group.
        public var requiresPadding: Bool
        /// Reject a text whose unused low bits in the last group are not zero (a non-canonical
        /// encoding) instead of ignoring them.
        public var requiresZeroTrailingBits: Bool

        public init(acceptsURLSafeAlphabet: Bool, requiresPadding: Bool, requiresZeroTrailingBits: Bool) {
            self.acceptsURLSafeAlphabet = acceptsURLSafeAlphabet
            self.requiresPadding = requiresPadding
            self.requiresZeroTrailingBits = requiresZeroTrailingBits
        }

        /// Canonical standard base64 only (see ``Base64``).
        public static let strict = DecodingOptions(
            acceptsURLSafeAlphabet: false, requiresPadding: true, requiresZeroTrailingBits: true)
        /// Either alphabet, padding optional, trailing bits ignored (see ``Base64``).
        public static let lenient = DecodingOptions(
            acceptsURLSafeAlphabet: true, requiresPadding: false, requiresZeroTrailingBits: false)
    }

    /// Why a text is not base64 under the chosen ``DecodingOptions``.
    public enum DecodingError: Error, Sendable, Hashable {
        /// The length is not possible: not a multiple of 4 where padding is required or present, or
        /// one character more than a whole number of groups.
        case invalidLength(Int)
        /// The byte at `offset` is not in the alphabet (or is `=` somewhere other than the end).
        case invalidCharacter(offset: Int, byte: UInt8)
        /// The bits left over in the last group are not zero (a non-canonical encoding).
        case nonCanonicalPadding
    }

    private static let standardAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafeAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// For each 12-bit value, its two characters (the first in the low byte, as stored little-endian).
    private static let standardPairs: [UInt16] = pairTable(standardAlphabet)
    private static let urlSafePairs: [UInt16] = pairTable(urlSafeAlphabet)

    private static func pairTable(_ alphabet: [UInt8]) -> [UInt16] {
        (0..<4096).map { UInt16(alphabet[$0 >> 6]) | UInt16(alphabet[$0 & 63]) << 8 }
    }

    /// 0–63 for bytes of the standard alphabet, 0xFF for everything else.
    private static let standardValues: [UInt8] = valueTable(standardAlphabet)
    /// 0–63 for bytes of either alphabet, 0xFF for everything else.
    private static let eitherValues: [UInt8] = {
        var table = valueTable(standardAlphabet)
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    private static func valueTable(_ alphabet: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }

    // MARK: Encoding

    /// Length of the base64 text for `byteCount` bytes.
    @inline(__always)
    public static func encodedLength(byteCount: Int, padded: Bool = true) -> Int {
        padded ? (byteCount + 2) / 3 * 4 : (byteCount * 4 + 2) / 3
    }

    /// Encodes `input` into `output`, which must hold at least ``encodedLength(byteCount:padded:)``
    /// bytes. Returns the number of bytes written.
    @discardableResult
    public static func encode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
        alphabet: Alphabet = .standard, padded: Bool = true
    ) -> Int {
        let length = encodedLength(byteCount: input.count, padded: padded)
        precondition(output.count >= length, "Base64.encode: output buffer too small")
        guard length > 0, let source = input.baseAddress, let target = output.baseAddress else { return 0 }
        let characters = alphabet == .standard ? standardAlphabet : urlSafeAlphabet
        let pairs = alphabet == .standard ? standardPairs : urlSafePairs
        return characters.withUnsafeBufferPointer { table in
            let table = table.baseAddress!
            var from = 0, to = 0
            let whole = input.count - input.count % 3
            // Whole groups: each 12 bits of input become two characters with one look-up in the pair
            // table, and the four characters of a group are stored at once.
            pairs.withUnsafeBufferPointer { pairs in
                let pairs = pairs.baseAddress!
                while from < whole {
                    let chunk =
                        UInt32(source.load(fromByteOffset: from, as: UInt8.self)) << 16
                        | UInt32(source.load(fromByteOffset: from + 1, as: UInt8.self)) << 8
                        | UInt32(source.load(fromByteOffset: from + 2, as: UInt8.self))
                    let four = UInt32(pairs[Int(chunk >> 12)]) | UInt32(pairs[Int(chunk & 0xFFF)]) << 16
                    target.storeBytes(of: four.littleEndian, toByteOffset: to, as: UInt32.self)
                    from += 3
                    to += 4
                }
            }
            let rest = input.count - whole
            if rest > 0 {
                var chunk = UInt32(source.load(fromByteOffset: from, as: UInt8.self)) << 16
                if rest == 2 { chunk |= UInt32(source.load(fromByteOffset: from + 1, as: UInt8.self)) << 8 }
                target.storeBytes(of: table[Int(chunk >> 18)], toByteOffset: to, as: UInt8.self)
                target.storeBytes(of: table[Int(chunk >> 12 & 63)], toByteOffset: to + 1, as: UInt8.self)
                to += 2
                if rest == 2 {
                    target.storeBytes(of: table[Int(chunk >> 6 & 63)], toByteOffset: to, as: UInt8.self)
                    to += 1
                }
                if padded {
                    for _ in rest..<3 {
                        target.storeBytes(of: UInt8(ascii: "="), toByteOffset: to, as: UInt8.self)
                        to += 1
                    }
                }
            }
            return to
        }
    }

    /// Encodes `bytes` as a base64 string.
    public static func encode<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, alphabet: Alphabet = .standard, padded: Bool = true
    ) -> String {
        let run = { (input: UnsafeRawBufferPointer) -> String in
            String(unsafeUninitializedCapacity: encodedLength(byteCount: input.count, padded: padded)) {
                encode(input, into: UnsafeMutableRawBufferPointer($0), alphabet: alphabet, padded: padded)
            }
        }
        return bytes.withContiguousStorageIfAvailable { run(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { run($0) }
    }

    // MARK: Decoding

    /// Number of bytes `text` decodes to, if its length and padding are plausible under `options`
    /// (the characters are checked by ``decode(_:into:options:)``).
    public static func decodedLength(_ text: UnsafeRawBufferPointer, options: DecodingOptions = .strict) -> Int? {
        let padding = trailingPadding(text)
        if options.requiresPadding || padding > 0 {
            guard text.count % 4 == 0 else { return nil }
        }
        let end = text.count - padding
        switch end % 4 {
        case 0: return end / 4 * 3
        case 1: return nil
        case let rest: return end / 4 * 3 + rest - 1
        }
    }

    /// Decodes `text` into `output`, which must hold at least ``decodedLength(_:options:)`` bytes.
    /// Returns the number of bytes written.
    public static func decode(
        _ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, options: DecodingOptions = .strict
    ) -> Result<Int, DecodingError> {
        guard let length = decodedLength(text, options: options) else { return .failure(.invalidLength(text.count)) }
        guard length > 0, let source = text.baseAddress, let target = output.baseAddress else { return .success(0) }
        precondition(output.count >= length, "Base64.decode: output buffer too small")
        let values = options.acceptsURLSafeAlphabet ? eitherValues : standardValues
        return values.withUnsafeBufferPointer { table -> Result<Int, DecodingError> in
            let table = table.baseAddress!
            let end = text.count - trailingPadding(text)
            let whole = end - end % 4
            var from = 0, to = 0
            while from < whole {
                let a = table[Int(source.load(fromByteOffset: from, as: UInt8.self))]
                let b = table[Int(source.load(fromByteOffset: from + 1, as: UInt8.self))]
                let c = table[Int(source.load(fromByteOffset: from + 2, as: UInt8.self))]
                let d = table[Int(source.load(fromByteOffset: from + 3, as: UInt8.self))]
                if (a | b | c | d) & 0xC0 != 0 {
                    return .failure(invalidCharacter(in: text, from: from, count: 4, table: table))
                }
                let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 16), toByteOffset: to, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 8), toByteOffset: to + 1, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk), toByteOffset: to + 2, as: UInt8.self)
                from += 4
                to += 3
            }
            // A last group of 2 or 3 characters (before any padding) carries 1 or 2 bytes.
            let rest = end - whole
            guard rest > 0 else { return .success(to) }
            let a = table[Int(text[from])], b = table[Int(text[from + 1])]
            let c = rest == 3 ? table[Int(text[from + 2])] : 0
            if (a | b | c) & 0xC0 != 0 {
                return .failure(invalidCharacter(in: text, from: from, count: rest, table: table))
            }
            let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
            let unusedBits = rest == 2 ? chunk & 0xFFFF : chunk & 0xFF
            if options.requiresZeroTrailingBits, unusedBits != 0 { return .failure(.nonCanonicalPadding) }
            target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 16), toByteOffset: to, as: UInt8.self)
            if rest == 3 {
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 8), toByteOffset: to + 1, as: UInt8.self)
            }
            return .success(to + rest - 1)
        }
    }

    /// Decodes base64 `text` into bytes.
    public static func decode<Bytes: Collection<UInt8>>(
        _ text: Bytes, options: DecodingOptions = .strict
    ) -> Result<[UInt8], DecodingError> {
        let run = { (text: UnsafeRawBufferPointer) -> Result<[UInt8], DecodingError> in
            guard let length = decodedLength(text, options: options) else {
                return .failure(.invalidLength(text.count))
            }
            var failure: DecodingError?
            let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                switch decode(text, into: UnsafeMutableRawBufferPointer(buffer), options: options) {
                case .success(let written): count = written
                case .failure(let error): failure = error; count = 0
                }
            }
            return failure.map { .failure($0) } ?? .success(bytes)
        }
        return text.withContiguousStorageIfAvailable { run(UnsafeRawBufferPointer($0)) }
            ?? Array(text).withUnsafeBytes { run($0) }
    }

    /// The number of `=` ending `text`, at most two.
    @inline(__always)
    private static func trailingPadding(_ text: UnsafeRawBufferPointer) -> Int {
        var padding = 0
        while padding < 2, padding < text.count, text[text.count - 1 - padding] == UInt8(ascii: "=") { padding += 1 }
        return padding
    }

    /// The first byte of `text[from ..< from + count]` that is not in the alphabet.
    private static func invalidCharacter(
        in text: UnsafeRawBufferPointer, from: Int, count: Int, table: UnsafePointer<UInt8>
    ) -> DecodingError {
        for offset in from..<(from + count) where table[Int(text[offset])] == 0xFF {
            return .invalidCharacter(offset: offset, byte: text[offset])
        }
        return .invalidCharacter(offset: from, byte: text[from])  // not reached
    }
}
