import Testing

@testable import Loader

@Suite struct RetryBackoffTests {
    @Test func doublesUpToTheMaximumAndDrawsFromTheUpperHalf() {
        var lowest = RetryBackoff(initial: .milliseconds(100), maximum: .seconds(1), random: { 0 })
        var highest = RetryBackoff(initial: .milliseconds(100), maximum: .seconds(1), random: { 1 })
        let low = (0..<6).map { _ in lowest.next() }
        let high = (0..<6).map { _ in highest.next() }
        #expect(high == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
        #expect(low == high.map { $0 / 2 })
    }

    @Test func resetStartsOver() {
        var backoff = RetryBackoff(initial: .milliseconds(50), maximum: .seconds(10), random: { 1 })
        _ = backoff.next()
        _ = backoff.next()
        #expect(backoff.nextCeiling == .milliseconds(200))
        backoff.reset()
        #expect(backoff.attempts == 0)
        #expect(backoff.next() == .milliseconds(50))
    }

    @Test func manyAttemptsNeitherOverflowNorExceedTheMaximum() {
        var backoff = RetryBackoff(initial: .milliseconds(100), maximum: .seconds(10))
        for _ in 0..<200 {
            let wait = backoff.next()
            #expect(wait >= .seconds(0) && wait <= .seconds(10))
        }
    }
}
