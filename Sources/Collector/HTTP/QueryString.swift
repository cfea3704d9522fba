#if canImport(Glibc)
import Glibc
#endif
import Shared

/// The few querystring parameters the collector reads itself (`nuid`, `u`, the bounce marker). Everything
/// else in the querystring is recorded raw and parsed by the enricher.
enum QueryString {
    /// The decoded value of the first `name` parameter; `nil` when absent or when the querystring does
    /// not parse (the enricher reports that as a bad row).
    static func firstValue(of name: String, in query: String) -> String? {
        // Most requests carry none of these: skip the full parse unless `name=` starts a parameter.
        guard containsParameter(name, in: query), case .success(let parameters) = QueryStringParser.parse(query) else { return nil }
        return parameters.first { $0.name == name }?.value
    }

    /// Whether `name=` starts the querystring or follows a `&` (jumps from `&` to `&`, no Foundation).
    static func containsParameter(_ name: String, in query: String) -> Bool {
        var name = name
        return name.withUTF8 { needle in
            query.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
                var start = 0
                while start + needle.count < bytes.count {
                    if bytes[start + needle.count] == UInt8(ascii: "="),
                        memcmp(bytes.baseAddress! + start, needle.baseAddress!, needle.count) == 0
                    {
                        return true
                    }
                    guard let ampersand = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "&")), bytes.count - start) else {
                        return false
                    }
                    start = UnsafePointer<UInt8>(ampersand.assumingMemoryBound(to: UInt8.self)) - bytes.baseAddress! + 1
                }
                return false
            } ?? query.split(separator: "&").contains { $0.hasPrefix(String(decoding: needle, as: UTF8.self) + "=") }
        }
    }
}
