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
        let parts = text.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2,
            let width = digitsOnly(parts[0]), let height = digitsOnly(parts[1])
        else {
            return .failure(.init("WIDTHxHEIGHT with decimal integers, e.g. 1920x1080"))
        }
        return .success(ViewDimensions(width: width, height: height))
    }

    /// `WxH`.
    public var description: String { "\(width)x\(height)" }

    private static func digitsOnly(_ text: Substring) -> Int32? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return JavaNumber.parseInt32(String(text))
    }
}
