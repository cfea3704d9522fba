import Crypto
import Shared

/// The hash functions of Snowplow's PII pseudonymisation (`strategy.pseudonymize.hashFunction`).
///
/// Snowplow hashes the UTF-8 bytes of `value + salt` (salt appended, no separator) and writes the
/// digest as lower-case hex (commons-codec `DigestUtils.*Hex`).
///
/// `MD2` is accepted by Snowplow but is not available here (swift-crypto does not implement it and it
/// has been broken since 2009): configuring it is a `privacy.unsupported_hash_function` error.
public enum PIIHashFunction: String, Sendable, CaseIterable {
    case md5 = "MD5"
    case sha1 = "SHA-1"
    case sha256 = "SHA-256"
    case sha384 = "SHA-384"
    case sha512 = "SHA-512"

    /// Parses a configured name (`MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`; exact spelling).
    public init(configured name: String) throws(FreshetError) {
        if name == "MD2" {
            throw FreshetError(
                .privacyUnsupportedHashFunction,
                "pii_enrichment_config: hash function MD2 is not supported by Freshet; use SHA-256 (or MD5/SHA-1/SHA-384/SHA-512)"
            )
        }
        guard let function = PIIHashFunction(rawValue: name) else {
            throw FreshetError(.privacyInvalidConfiguration, "pii_enrichment_config: unknown hash function \(name)")
        }
        self = function
    }

    /// Lower-case hex digest of `text`'s UTF-8 bytes.
    public func hexDigest(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            switch self {
            case .md5: return Self.hex(Insecure.MD5.hash(data: bytes))
            case .sha1: return Self.hex(Insecure.SHA1.hash(data: bytes))
            case .sha256: return Self.hex(SHA256.hash(data: bytes))
            case .sha384: return Self.hex(SHA384.hash(data: bytes))
            case .sha512: return Self.hex(SHA512.hash(data: bytes))
            }
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(128)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
