import Testing

@testable import Shared

@Suite("Consumer assignment generations")
struct KafkaConsumerAssignmentTests {
    let p0 = KafkaTopicPartition(topic: "raw", partition: 0)
    let p1 = KafkaTopicPartition(topic: "raw", partition: 1)

    @Test func recordOfCurrentAssignmentMayBeMarked() throws {
        var assignment = KafkaConsumerAssignment()
        assignment.assign([p0, p1], incremental: false)
        let generation = try #require(assignment.generation(of: p0))
        #expect(assignment.mayMark(p0, fetchedUnder: generation))
        #expect(assignment.partitions == [p0, p1])
    }

    @Test func revokedPartitionCannotBeMarked() throws {
        var assignment = KafkaConsumerAssignment()
        assignment.assign([p0, p1], incremental: false)
        let generation = try #require(assignment.generation(of: p0))
        assignment.revoke([p0])
        #expect(!assignment.mayMark(p0, fetchedUnder: generation))
        #expect(assignment.generation(of: p1) != nil)
    }

    @Test func partitionThatCameBackDoesNotAcceptOldRecords() throws {
        var assignment = KafkaConsumerAssignment()
        assignment.assign([p0, p1], incremental: false)
        let old = try #require(assignment.generation(of: p0))
        assignment.revokeAll()
        assignment.assign([p0], incremental: false)
        let new = try #require(assignment.generation(of: p0))
        #expect(!assignment.mayMark(p0, fetchedUnder: old))
        #expect(assignment.mayMark(p0, fetchedUnder: new))
        #expect(assignment.generation(of: p1) == nil)
    }

    @Test func eagerAssignmentReplacesCooperativeAdds() {
        var assignment = KafkaConsumerAssignment()
        assignment.assign([p0], incremental: false)
        assignment.assign([p1], incremental: true)
        #expect(assignment.partitions == [p0, p1])
        assignment.assign([p1], incremental: false)
        #expect(assignment.partitions == [p1])
    }

    @Test func closedOrHandMadeRecordsAreNeverMarked() throws {
        var assignment = KafkaConsumerAssignment()
        assignment.assign([p0], incremental: false)
        let generation = try #require(assignment.generation(of: p0))
        #expect(!assignment.mayMark(p0, fetchedUnder: 0), "generation 0 = a record built by hand")
        assignment.close()
        #expect(!assignment.mayMark(p0, fetchedUnder: generation))
    }
}
