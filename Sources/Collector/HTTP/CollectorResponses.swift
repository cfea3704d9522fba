import NIOCore
import NIOHTTP1

/// The fixed bodies and headers of the collector's answers (reference §2.1).
enum CollectorResponses {
    /// The 43-byte transparent 1×1 GIF Snowplow's collector answers pixel requests with.
    static let pixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0xF0, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
        0x00, 0x00, 0x00, 0x21, 0xF9, 0x04, 0x05, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]
    static let pixelBuffer = ByteBuffer(bytes: pixel)
    static let okBuffer = ByteBuffer(string: "ok")
    static let robots = "User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nDisallow: /\n\nUser-agent: AdsBot-Google\nDisallow: /"
    static let noCache = "no-cache, no-store, must-revalidate"
    static let allowedHeaders = "Content-Type, SP-Anonymous"

    static func crossDomainPolicy(domains: [String], secure: Bool) -> String {
        var body = "<?xml version=\"1.0\"?>\n<cross-domain-policy>\n"
        for domain in domains {
            body += "<allow-access-from domain=\"\(domain)\" secure=\"\(secure)\" />\n"
        }
        return body + "</cross-domain-policy>"
    }
}
