import Shared

/// What an insert error means for the loader.
enum InsertFailure: Equatable {
    /// The server is down, slow or overloaded: wait and send the same rows again.
    case retriable
    /// The server refused the data itself (a value it cannot parse or store, a constraint, a
    /// `throwIf`, too many partitions in one block): splitting the batch isolates the rows at fault.
    case rejectedRows(String)
    /// Anything else (a missing table, bad credentials…): retrying or splitting cannot help.
    case fatal(String)

    /// Server error codes caused by the rows sent, not by the server or the schema.
    static let rowErrorCodes: Set<Int> = [
        6,  // CANNOT_PARSE_TEXT
        26,  // CANNOT_PARSE_QUOTED_STRING
        27,  // CANNOT_PARSE_INPUT_ASSERTION_FAILED
        32,  // ATTEMPT_TO_READ_AFTER_EOF
        33,  // CANNOT_READ_ALL_DATA
        38,  // CANNOT_PARSE_DATE
        41,  // CANNOT_PARSE_DATETIME
        53,  // TYPE_MISMATCH
        69,  // ARGUMENT_OUT_OF_BOUND
        70,  // CANNOT_CONVERT_TYPE
        72,  // CANNOT_PARSE_NUMBER
        117,  // INCORRECT_DATA
        131,  // TOO_LARGE_STRING_SIZE
        395,  // FUNCTION_THROW_IF_VALUE_IS_NON_ZERO
        469,  // VIOLATED_CONSTRAINT
    ]

    /// No answer from the server (refused, timed out, connection broken): the rows were not judged.
    static let noAnswerCodes: Set<FreshetError.Code> = [.clickHouseConnectionFailed, .clickHouseTimeout, .clickHouseTransferFailed]

    init(_ error: any Error) {
        guard let error = error as? FreshetError else {
            self = .fatal(String(describing: error))
            return
        }
        if let server = error.clickHouseServerError {
            if server.message.contains("Too many partitions for single INSERT block") {
                self = .rejectedRows(server.message)
            } else if let code = server.code, Self.rowErrorCodes.contains(code) {
                self = .rejectedRows("Code \(code): \(server.message)")
            } else if error.isRetriable {
                self = .retriable
            } else {
                self = .fatal(error.description)
            }
        } else if error.isRetriable || Self.noAnswerCodes.contains(error.code) {
            self = .retriable
        } else {
            self = .fatal(error.description)
        }
    }
}
