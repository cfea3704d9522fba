/// What identifies a log file across renames, restarts and inode reuse: its device and inode plus a
/// hash of its first bytes.
///
/// Device and inode alone are not enough: after a file is deleted its inode may be given to a new
/// file, which would then inherit the old file's offset and lose its first lines (elastic/beats#1341).
/// The content hash tells the two apart. A growing file's hash covers what it had when it was last
/// fingerprinted (``prefixLength`` bytes, up to the configured size); a file is the same as a recorded
/// one when device and inode are equal and its first ``prefixLength`` bytes still hash the same.
///
/// The hash alone also recognises a *copy* of a known file (copy-truncate rotation: the copy has a new
/// inode but the old content), see ``sameContent(asFirst:hash:)``.
///
/// A plain value; safe to share.
struct FileFingerprint: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    /// How many bytes from the start of the file ``prefixHash`` covers (0 for an empty file).
    var prefixLength: Int
    /// FNV-1a (64 bit) of the first ``prefixLength`` bytes.
    var prefixHash: UInt64

    /// The (device, inode) pair.
    var identity: FileIdentity { FileIdentity(device: device, inode: inode) }

    /// The fingerprint of a file whose first bytes are `prefix`.
    init(device: UInt64, inode: UInt64, prefix: UnsafeRawBufferPointer) {
        self.init(device: device, inode: inode, prefixLength: prefix.count, prefixHash: Self.hash(prefix))
    }

    init(device: UInt64, inode: UInt64, prefixLength: Int, prefixHash: UInt64) {
        self.device = device
        self.inode = inode
        self.prefixLength = prefixLength
        self.prefixHash = prefixHash
    }

    /// Whether a file with this fingerprint's device and inode, whose first ``prefixLength`` bytes hash
    /// to `hashOfSamePrefix`, is the file this fingerprint was taken of.
    func isSameFile(identity other: FileIdentity, hashOfSamePrefix: UInt64?) -> Bool {
        other == identity && hashOfSamePrefix == prefixHash
    }

    /// Whether a file's first `length` bytes, hashing to `hash`, are the content this fingerprint
    /// describes (a copy or the same file). An empty prefix identifies nothing.
    func sameContent(asFirst length: Int, hash: UInt64) -> Bool {
        prefixLength > 0 && length == prefixLength && hash == prefixHash
    }

    /// FNV-1a, 64 bit: simple, fast on short inputs, and stable across versions and machines (the
    /// registry stores it).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { hash($0) } }
}

/// A file's device and inode: what `fstat` tells about an open descriptor, stable across renames.
struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    var device: UInt64
    var inode: UInt64
    var description: String { "\(device):\(inode)" }
}
