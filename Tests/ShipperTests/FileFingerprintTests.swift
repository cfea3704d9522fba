import Testing

@testable import Shipper

@Suite struct FileFingerprintTests {
    @Test func hashIsFNV1a64() {
        // Published FNV-1a 64-bit test vectors (Fowler/Noll/Vo reference code).
        #expect(FileFingerprint.hash([]) == 0xcbf2_9ce4_8422_2325)
        #expect(FileFingerprint.hash(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(FileFingerprint.hash(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
    }

    @Test func sameFileNeedsInodeAndContent() {
        let print = FileFingerprint(
            device: 1, inode: 7, prefixLength: 3, prefixHash: FileFingerprint.hash(Array("abc".utf8)))
        #expect(
            print.isSameFile(
                identity: FileIdentity(device: 1, inode: 7), hashOfSamePrefix: FileFingerprint.hash(Array("abc".utf8))))
        // inode reuse: same inode, other first bytes
        #expect(
            !print.isSameFile(
                identity: FileIdentity(device: 1, inode: 7), hashOfSamePrefix: FileFingerprint.hash(Array("xyz".utf8))))
        // shorter than the fingerprinted prefix (truncated)
        #expect(!print.isSameFile(identity: FileIdentity(device: 1, inode: 7), hashOfSamePrefix: nil))
        #expect(!print.isSameFile(identity: FileIdentity(device: 2, inode: 7), hashOfSamePrefix: print.prefixHash))
    }

    @Test func emptyPrefixIdentifiesNoContent() {
        let empty = FileFingerprint(device: 1, inode: 7, prefixLength: 0, prefixHash: FileFingerprint.hash([]))
        #expect(!empty.sameContent(asFirst: 0, hash: FileFingerprint.hash([])))
    }
}

@Suite struct ResumeRuleTests {
    let content = Array("line one\nline two\n".utf8)

    func known(inode: UInt64, offset: Int64) -> ResumeRule.Known {
        ResumeRule.Known(
            fingerprint: FileFingerprint(
                device: 1, inode: inode, prefixLength: content.count, prefixHash: FileFingerprint.hash(content)),
            acknowledgedOffset: offset, path: "/logs/a.log")
    }

    func hashes(of bytes: [UInt8]) -> (Int) -> UInt64? {
        { count in count <= bytes.count ? FileFingerprint.hash(Array(bytes[..<count])) : nil }
    }

    @Test func resumesTheSameFile() {
        let entry = known(inode: 7, offset: 9)
        let decision = ResumeRule.decide(
            identity: FileIdentity(device: 1, inode: 7), hashOfFirst: hashes(of: content + Array("more\n".utf8)),
            recorded: [entry.fingerprint.identity: entry], contents: [])
        #expect(decision == .sameFile(offset: 9))
    }

    @Test func inodeReuseStartsFromTheBeginning() {
        let entry = known(inode: 7, offset: 9)
        let decision = ResumeRule.decide(
            identity: FileIdentity(device: 1, inode: 7), hashOfFirst: hashes(of: Array("another file entirely\n".utf8)),
            recorded: [entry.fingerprint.identity: entry], contents: [])
        #expect(decision == .newFile)
    }

    @Test func aCopyContinuesWhereTheOriginalWasAcknowledged() {
        let original = known(inode: 7, offset: 9)
        let decision = ResumeRule.decide(
            identity: FileIdentity(device: 1, inode: 8), hashOfFirst: hashes(of: content), recorded: [:],
            contents: [original])
        #expect(decision == .copy(of: "/logs/a.log", offset: 9))
    }

    @Test func aShorterFileIsNotACopy() {
        let original = known(inode: 7, offset: 9)
        let decision = ResumeRule.decide(
            identity: FileIdentity(device: 1, inode: 8), hashOfFirst: hashes(of: Array(content.prefix(5))),
            recorded: [:], contents: [original])
        #expect(decision == .newFile)
    }
}
