/// Standard base64 (RFC 4648 §4: alphabet `A–Z a–z 0–9 + /`, `=` padding, no line breaks), on bytes.
///
/// Hand-rolled because the per-event paths need it to be fast: Foundation's `Data(base64Encoded:)` on
/// Linux is several times slower than this table-driven loop and allocates a `Data` per call.
///
/// Decoding is strict: the length must be a multiple of 4, padding may only end the text (at most two
/// `=`), and the unused low bits before the padding must be zero — exactly the texts ``encode(_:into:)``
/// produces, so every valid text decodes to one byte sequence and back to the same text.
///
/// Stateless; safe from any thread.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0–63 for alphabet bytes, 0xFF for everything else.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    /// Why a text is not standard base64.
    public enum DecodingError: Error, Sendable, Hashable {
        /// The length is not a multiple of 4.
        case invalidLength(Int)
        /// The byte at `offset` is not in the alphabet (or is `=` somewhere other than the end).
        case invalidCharacter(offset: Int, byte: UInt8)
        /// The bits left over before the padding are not zero (a non-canonical encoding).
        case nonCanonicalPadding
    }

    /// Length of the base64 text for `byteCount` bytes.
    @inline(__always)
    public static func encodedLength(byteCount: Int) -> Int { (byteCount + 2) / 3 * 4 }

    /// Encodes `input` into `output`, which must hold at least ``encodedLength(byteCount:)`` bytes.
    /// Returns the number of bytes written.
    @discardableResult
    public static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        let length = encodedLength(byteCount: input.count)
        precondition(output.count >= length, "Base64.encode: output buffer too small")
        guard length > 0, let source = input.baseAddress, let target = output.baseAddress else { return 0 }
        return alphabet.withUnsafeBufferPointer { table in
            let table = table.baseAddress!
            var from = 0, to = 0
            let whole = input.count - input.count % 3
            while from < whole {
                let chunk = UInt32(source.load(fromByteOffset: from, as: UInt8.self)) << 16
                    | UInt32(source.load(fromByteOffset: from + 1, as: UInt8.self)) << 8
                    | UInt32(source.load(fromByteOffset: from + 2, as: UInt8.self))
                target.storeBytes(of: table[Int(chunk >> 18)], toByteOffset: to, as: UInt8.self)
                target.storeBytes(of: table[Int(chunk >> 12 & 63)], toByteOffset: to + 1, as: UInt8.self)
                target.storeBytes(of: table[Int(chunk >> 6 & 63)], toByteOffset: to + 2, as: UInt8.self)
                target.storeBytes(of: table[Int(chunk & 63)], toByteOffset: to + 3, as: UInt8.self)
                from += 3
                to += 4
            }
            let rest = input.count - whole
            if rest > 0 {
                var chunk = UInt32(source.load(fromByteOffset: from, as: UInt8.self)) << 16
                if rest == 2 { chunk |= UInt32(source.load(fromByteOffset: from + 1, as: UInt8.self)) << 8 }
                target.storeBytes(of: table[Int(chunk >> 18)], toByteOffset: to, as: UInt8.self)
                target.storeBytes(of: table[Int(chunk >> 12 & 63)], toByteOffset: to + 1, as: UInt8.self)
                let third = rest == 2 ? table[Int(chunk >> 6 & 63)] : UInt8(ascii: "=")
                target.storeBytes(of: third, toByteOffset: to + 2, as: UInt8.self)
                target.storeBytes(of: UInt8(ascii: "="), toByteOffset: to + 3, as: UInt8.self)
                to += 4
            }
            return to
        }
    }

    /// Encodes `bytes` as a base64 string.
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let contiguous = bytes.withContiguousStorageIfAvailable { encodeToString(UnsafeRawBufferPointer($0)) }
        return contiguous ?? Array(bytes).withUnsafeBytes { encodeToString($0) }
    }

    private static func encodeToString(_ input: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: encodedLength(byteCount: input.count)) {
            encode(input, into: UnsafeMutableRawBufferPointer($0))
        }
    }

    /// Number of bytes `text` decodes to, if its length and padding are plausible (checked fully by
    /// ``decode(_:into:)``).
    public static func decodedLength(_ text: UnsafeRawBufferPointer) -> Int? {
        guard text.count % 4 == 0 else { return nil }
        guard text.count > 0 else { return 0 }
        var padding = 0
        if text[text.count - 1] == UInt8(ascii: "=") { padding += 1 }
        if text[text.count - 2] == UInt8(ascii: "=") { padding += 1 }
        return text.count / 4 * 3 - padding
    }

    /// Decodes `text` into `output`, which must hold at least ``decodedLength(_:)`` bytes. Returns the
    /// number of bytes written.
    public static func decode(
        _ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> Result<Int, DecodingError> {
        guard let length = decodedLength(text) else { return .failure(.invalidLength(text.count)) }
        guard length > 0, let source = text.baseAddress, let target = output.baseAddress else { return .success(0) }
        precondition(output.count >= length, "Base64.decode: output buffer too small")
        return values.withUnsafeBufferPointer { table -> Result<Int, DecodingError> in
            let table = table.baseAddress!
            var from = 0, to = 0
            // All groups but the last have no padding.
            let lastGroup = text.count - 4
            while from < lastGroup {
                let a = table[Int(source.load(fromByteOffset: from, as: UInt8.self))]
                let b = table[Int(source.load(fromByteOffset: from + 1, as: UInt8.self))]
                let c = table[Int(source.load(fromByteOffset: from + 2, as: UInt8.self))]
                let d = table[Int(source.load(fromByteOffset: from + 3, as: UInt8.self))]
                if (a | b | c | d) & 0xC0 != 0 { return .failure(invalidCharacter(in: text, group: from)) }
                let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 16), toByteOffset: to, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 8), toByteOffset: to + 1, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: chunk), toByteOffset: to + 2, as: UInt8.self)
                from += 4
                to += 3
            }
            let padding = text.count / 4 * 3 - length
            let a = table[Int(text[from])], b = table[Int(text[from + 1])]
            let c = padding >= 2 ? 0 : table[Int(text[from + 2])]
            let d = padding >= 1 ? 0 : table[Int(text[from + 3])]
            if (a | b | c | d) & 0xC0 != 0 { return .failure(invalidCharacter(in: text, group: from, padding: padding)) }
            let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            if padding == 2 && chunk & 0xFFFF != 0 || padding == 1 && chunk & 0xFF != 0 {
                return .failure(.nonCanonicalPadding)
            }
            target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 16), toByteOffset: to, as: UInt8.self)
            if padding < 2 { target.storeBytes(of: UInt8(truncatingIfNeeded: chunk >> 8), toByteOffset: to + 1, as: UInt8.self) }
            if padding < 1 { target.storeBytes(of: UInt8(truncatingIfNeeded: chunk), toByteOffset: to + 2, as: UInt8.self) }
            return .success(length)
        }
    }

    /// Decodes base64 `text` into bytes.
    public static func decode<Bytes: Collection<UInt8>>(_ text: Bytes) -> Result<[UInt8], DecodingError> {
        let run = { (text: UnsafeRawBufferPointer) -> Result<[UInt8], DecodingError> in
            guard let length = decodedLength(text) else { return .failure(.invalidLength(text.count)) }
            var failure: DecodingError?
            let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                switch decode(text, into: UnsafeMutableRawBufferPointer(buffer)) {
                case .success(let written): count = written
                case .failure(let error): failure = error; count = 0
                }
            }
            return failure.map { .failure($0) } ?? .success(bytes)
        }
        return text.withContiguousStorageIfAvailable { run(UnsafeRawBufferPointer($0)) }
            ?? Array(text).withUnsafeBytes { run($0) }
    }

    /// Finds the first offending byte of the group starting at `group`.
    private static func invalidCharacter(in text: UnsafeRawBufferPointer, group: Int, padding: Int = 0) -> DecodingError {
        for offset in group..<(group + 4 - padding) where values[Int(text[offset])] == 0xFF {
            return .invalidCharacter(offset: offset, byte: text[offset])
        }
        return .invalidCharacter(offset: group, byte: text[group])  // not reached
    }
}
