/// Where to start reading a file the shipper has just found, from what it knows about files it has
/// seen (the registry of an earlier run, the files it follows, content it saw before a truncation).
///
/// 1. Same device and inode, and the first bytes still hash as recorded: the same file (perhaps
///    renamed, perhaps grown) — resume at its acknowledged offset.
/// 2. Otherwise, the first bytes match a known content (a file followed now or before, under another
///    inode): a copy of it, as copy-truncate rotation makes — start at that content's acknowledged
///    offset, so the lines shipped from the original are not shipped again and the lines the original
///    lost to the truncation are shipped from the copy.
/// 3. Otherwise a new file: from its beginning. (Same inode but other first bytes — inode reuse —
///    lands here too.)
///
/// Pure; unit-tested on its own.
enum ResumeRule {
    /// What is known about some content.
    struct Known: Sendable, Equatable {
        var fingerprint: FileFingerprint
        var acknowledgedOffset: Int64
        var path: String
    }

    enum Decision: Equatable {
        case sameFile(offset: Int64)
        case copy(of: String, offset: Int64)
        case newFile
    }

    /// - Parameters:
    ///   - identity: the found file's device and inode.
    ///   - hashOfFirst: the hash of the file's first `n` bytes, or `nil` when it has fewer.
    ///   - recorded: registry entries by identity.
    ///   - contents: other known contents, most relevant first.
    static func decide(
        identity: FileIdentity, hashOfFirst: (Int) -> UInt64?, recorded: [FileIdentity: Known], contents: [Known]
    ) -> Decision {
        if let entry = recorded[identity],
            entry.fingerprint.isSameFile(
                identity: identity, hashOfSamePrefix: hashOfFirst(entry.fingerprint.prefixLength))
        {
            return .sameFile(offset: entry.acknowledgedOffset)
        }
        for known in contents where known.fingerprint.identity != identity && known.fingerprint.prefixLength > 0 {
            if let hash = hashOfFirst(known.fingerprint.prefixLength),
                known.fingerprint.sameContent(asFirst: known.fingerprint.prefixLength, hash: hash)
            {
                return .copy(of: known.path, offset: known.acknowledgedOffset)
            }
        }
        return .newFile
    }
}
