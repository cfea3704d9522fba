import Foundation
import Shared

/// The shipper's memory across restarts: for each log file it follows, the file's fingerprint and the
/// offset up to which Kafka acknowledged every line.
///
/// Written by ``RegistryStore`` only with acknowledged offsets, so after a crash the shipper resumes at
/// or before the first unacknowledged line: nothing is skipped, and the lines re-sent are at most those
/// that were in flight.
///
/// Encoding (JSON, one object; `version` lets a later shipper read an older file):
/// ```json
/// {"version":1,"files":[{"device":2049,"inode":131077,"prefixLength":1024,
///   "prefixHash":"9e3779b97f4a7c15","offset":81920,"path":"/var/log/freshet/c-w0.log"}]}
/// ```
/// `prefixHash` is hexadecimal (64-bit numbers do not survive every JSON reader); `path` is where the
/// file was last seen, for people and for nothing else — identity is the fingerprint.
///
/// A plain value.
struct ShipperRegistry: Sendable, Equatable {
    struct Entry: Sendable, Equatable, Codable {
        var device: UInt64
        var inode: UInt64
        var prefixLength: Int
        var prefixHash: String
        var offset: Int64
        var path: String

        init(fingerprint: FileFingerprint, offset: Int64, path: String) {
            device = fingerprint.device
            inode = fingerprint.inode
            prefixLength = fingerprint.prefixLength
            prefixHash = String(fingerprint.prefixHash, radix: 16)
            self.offset = offset
            self.path = path
        }

        /// The fingerprint, or `nil` when the hash is not hexadecimal.
        var fingerprint: FileFingerprint? {
            UInt64(prefixHash, radix: 16).map {
                FileFingerprint(device: device, inode: inode, prefixLength: prefixLength, prefixHash: $0)
            }
        }
    }

    static let currentVersion = 1

    var files: [Entry] = []

    private struct Document: Codable {
        var version: Int
        var files: [Entry]
    }

    /// The JSON bytes of the registry (entries sorted by path, so equal registries encode equally).
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(
            Document(version: Self.currentVersion, files: files.sorted { ($0.path, $0.inode) < ($1.path, $1.inode) }))
    }

    /// Reads a registry written by ``encoded()``.
    ///
    /// - Throws: ``FreshetError/Code/shipperRegistryUnreadable`` for bytes that are not a registry or a
    ///   version this shipper does not know.
    static func decode(_ data: Data) throws -> ShipperRegistry {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw FreshetError(
                .shipperRegistryUnreadable,
                "the shipper registry is not valid JSON of the expected shape. Move it away to start over "
                    + "(every file is then shipped again from its beginning)",
                underlying: error)
        }
        guard document.version == currentVersion else {
            throw FreshetError(
                .shipperRegistryUnreadable,
                "the shipper registry has version \(document.version); this shipper reads version \(currentVersion)")
        }
        for entry in document.files where entry.fingerprint == nil || entry.offset < 0 || entry.prefixLength < 0 {
            throw FreshetError(.shipperRegistryUnreadable, "the shipper registry entry for \(entry.path) is damaged")
        }
        return ShipperRegistry(files: document.files)
    }
}
