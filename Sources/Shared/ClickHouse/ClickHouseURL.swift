/// Builds request URLs for the HTTP interface: the base URL plus percent-encoded query parameters.
enum ClickHouseURL {
    /// `base` (trailing `/` added when missing) followed by `?name=value&…` in the order given.
    static func make(base: String, path: String = "", parameters: [(name: String, value: String)]) -> String {
        var url = base.hasSuffix("/") ? base : base + "/"
        url += path
        for (index, parameter) in parameters.enumerated() {
            url += index == 0 ? "?" : "&"
            url += percentEncode(parameter.name) + "=" + percentEncode(parameter.value)
        }
        return url
    }

    /// RFC 3986 encoding of everything except the unreserved characters `A-Z a-z 0-9 - . _ ~`.
    static func percentEncode(_ text: String) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
