import Testing

@testable import Shared

@Suite struct ClickHouseURLTests {
    @Test func encodesParametersInOrder() {
        let url = ClickHouseURL.make(
            base: "http://127.0.0.1:8123",
            parameters: [("database", "default"), ("query", "INSERT INTO t FORMAT TabSeparated")]
        )
        #expect(url == "http://127.0.0.1:8123/?database=default&query=INSERT%20INTO%20t%20FORMAT%20TabSeparated")
    }

    @Test func keepsAnExistingTrailingSlashAndAddsThePath() {
        #expect(ClickHouseURL.make(base: "http://h:8123/", path: "ping", parameters: []) == "http://h:8123/ping")
    }

    @Test func encodesReservedAndNonASCIICharacters() {
        #expect(ClickHouseURL.percentEncode("a&b=c?d/é~_.-") == "a%26b%3Dc%3Fd%2F%C3%A9~_.-")
    }
}
