/// A `WIDTHxHEIGHT` pair from `res` (screen), `vp` (viewport) or `ds` (document size).
///
/// Parsed as enrich's `ClientEnrichments.extractViewDimensions`: the whole value must match
/// `(\d+)x(\d+)` (ASCII digits, lower-case `x`) and each number must fit a 32-bit signed integer.
public struct ViewDimensions: Sendable, Hashable, CustomStringConvertible {
    /// Width in pixels.
    public let width: Int32
    /// Height in pixels.
    public let height: Int32

    /// A pair of dimensions.
    public init(width: Int32, height: Int32) {
        self.width = width
        self.height = height
    }

    /// Parses `WxH`.
    public static func parse(_ text: String) -> Result<ViewDimensions, ParameterViolation.Reason> {
        // Success needs `digits x digits` in ASCII, where bytes and characters split alike: one pass
        // over the bytes, splitting at the first `x`.
        var text = text
        let parsed: ViewDimensions? = text.withUTF8 { bytes in
            guard let x = bytes.firstIndex(of: UInt8(ascii: "x")),
                let width = digitsOnly(UnsafeBufferPointer(rebasing: bytes[..<x])),
                let height = digitsOnly(UnsafeBufferPointer(rebasing: bytes[(x + 1)...]))
            else { return nil }
            return ViewDimensions(width: width, height: height)
        }
        guard let parsed else {
            return .failure(.init("WIDTHxHEIGHT with decimal integers, e.g. 1920x1080"))
        }
        return .success(parsed)
    }

    public var description: String { "\(width)x\(height)" }

    /// Non-empty ASCII decimal digits whose value fits an `Int32`.
    private static func digitsOnly(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard !bytes.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
            if value > Int64(Int32.max) { return nil }
        }
        return Int32(value)
    }
}
