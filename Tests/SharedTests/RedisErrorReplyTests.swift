import Testing

@testable import Shared

@Suite struct RedisErrorReplyTests {
    @Test(arguments: [
        "LOADING Redis is loading the dataset in memory",
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
        "TRYAGAIN Multiple keys request during rehashing of slot",
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
    ])
    func transientServerStatesAreRetriable(message: String) {
        let error = FreshetError.redisErrorReply(message, command: "GET")
        #expect(error.code == .redisErrorReply)
        #expect(error.isRetriable)
    }

    @Test(arguments: [
        "WRONGTYPE Operation against a key holding the wrong kind of value",
        "ERR unknown command 'FOO', with args beginning with: ",
        "NOSCRIPT No matching script. Please use EVAL.",
        "BUSYKEY Target key name already exists.",
    ])
    func commandMistakesAreNotRetriable(message: String) {
        let error = FreshetError.redisErrorReply(message, command: "HINCRBY")
        #expect(!error.isRetriable)
        #expect(error.message.contains(message))
        #expect(error.message.contains("HINCRBY"))
    }
}
