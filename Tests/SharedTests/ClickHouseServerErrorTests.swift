import Testing

@testable import Shared

/// Error bodies as real servers send them: 18.16 bodies captured from the local server
/// (`curl --data-binary 'SELECT * FROM default.nope_x' http://127.0.0.1:8123/`), later formats as quoted
/// in public issues (ClickHouse/ClickHouse#72999, PostHog/charts-clickhouse#455,
/// kszucs/pandahouse#35, plausible/analytics#966).
@Suite struct ClickHouseServerErrorTests {
    private func parse(_ body: String, status: Int = 500, header: String? = nil) -> ClickHouseServerError {
        ClickHouseServerError(body: Array(body.utf8), httpStatus: status, headerCode: header)
    }

    @Test func readsThe18_16UnknownTableFormat() {
        let error = parse("Code: 60, e.displayText() = DB::Exception: Table default.nope_x doesn't exist., e.what() = DB::Exception\n", status: 404)
        #expect(error.code == 60)
        #expect(error.message == "DB::Exception: Table default.nope_x doesn't exist.")
        #expect(error.httpStatus == 404)
    }

    @Test func readsThe18_16WrongPasswordFormat() {
        let error = parse("Code: 193, e.displayText() = DB::Exception: Wrong password for user default, e.what() = DB::Exception\n", status: 401)
        #expect(error.code == 193)
        #expect(error.message == "DB::Exception: Wrong password for user default")
    }

    @Test func readsAMultiLine18_16SyntaxError() {
        let error = parse("Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 1: SELEC 1. Expected one of: SELECT query, INSERT query, e.what() = DB::Exception\n", status: 400)
        #expect(error.code == 62)
        #expect(error.message.hasPrefix("DB::Exception: Syntax error: failed at position 1"))
        #expect(!error.message.contains("e.what()"))
    }

    @Test func readsThe20_xFormatWithVersion() {
        let error = parse("Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 27: SAMPLE BY user_id\n. Expected one of: TTL, COLUMN, ORDER BY, SETTING, QUERY (version 20.3.8.53 (official build))\n")
        #expect(error.code == 62)
        #expect(error.message.hasPrefix("DB::Exception: Syntax error: failed at position 27"))
        #expect(error.message.hasSuffix("(version 20.3.8.53 (official build))"))
    }

    @Test func readsTheCurrentFormat() {
        let error = parse("Code: 60. DB::Exception: Table posthog.infi_clickhouse_orm_migrations doesn't exist. (UNKNOWN_TABLE) (version 22.3.7.28 (official build))\n", status: 404)
        #expect(error.code == 60)
        #expect(error.message == "DB::Exception: Table posthog.infi_clickhouse_orm_migrations doesn't exist. (UNKNOWN_TABLE) (version 22.3.7.28 (official build))")
    }

    @Test func readsTheCurrentAuthenticationFailure() {
        let error = parse(
            "Code: 516. DB::Exception: log_search: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED) (version 24.10.3.21 (official build))\n",
            status: 403
        )
        #expect(error.code == 516)
        #expect(error.message.hasPrefix("DB::Exception: log_search: Authentication failed"))
        #expect(!error.isTransient)
    }

    @Test func theExceptionCodeHeaderWins() {
        let error = parse("Code: 60. DB::Exception: Table x does not exist. (UNKNOWN_TABLE)", status: 404, header: " 81 ")
        #expect(error.code == 81)
    }

    @Test func aBodyWithoutCodeKeepsItsText() {
        let error = parse("<html>502 Bad Gateway</html>\n", status: 502)
        #expect(error.code == nil)
        #expect(error.message == "<html>502 Bad Gateway</html>")
        #expect(error.isTransient)
        #expect(parse("", status: 500).message == "HTTP 500 with an empty body")
    }

    @Test func transientCodesAreRetriable() {
        #expect(parse("Code: 252, e.displayText() = DB::Exception: Too many parts (300). Merges are processing significantly slower than inserts., e.what() = DB::Exception").isTransient)
        #expect(!parse("Code: 60. DB::Exception: Table x does not exist. (UNKNOWN_TABLE)").isTransient)
    }

    @Test func theFreshetErrorCarriesTheCode() {
        let serverError = parse("Code: 60. DB::Exception: Table x does not exist. (UNKNOWN_TABLE)", status: 404)
        let error = FreshetError.clickHouse(serverError, request: "`SELECT 1`")
        #expect(error.code == .clickHouseServerError)
        #expect(error.clickHouseServerError?.code == 60)
        #expect(error.message.contains("Code 60"))
        #expect(!error.isRetriable)
    }
}
