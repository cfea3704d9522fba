/// An Iglu client failure recorded in a bad row: the schema could not be resolved, or the data (or
/// the schema itself) did not validate. JSON shapes follow `iglu-scala-client`'s `ClientError`
/// encoder. A plain `Sendable` value.
public enum IgluClientError: Sendable, Hashable {
    /// The schema could not be fetched from any repository
    /// (`{"error":"ResolutionError","lookupHistory":[…]}`).
    case resolutionError(lookupHistory: [RepositoryLookup])
    /// The data is invalid against the resolved schema
    /// (`{"dataReports":[…],"error":"ValidationError"}`).
    case invalidData(dataReports: [DataReport])
    /// The resolved schema cannot be used to validate (`{"schemaIssues":[…],"error":"ValidationError"}`).
    case invalidSchema(schemaIssues: [SchemaIssue])

    /// What happened when looking a schema up in one repository.
    public struct RepositoryLookup: Sendable, Hashable {
        /// The repository name from the resolver configuration.
        public var repository: String
        public var errors: [RegistryError]
        public var attempts: Int
        public var lastAttempt: SnowplowTimestamp

        public init(repository: String, errors: [RegistryError], attempts: Int, lastAttempt: SnowplowTimestamp) {
            self.repository = repository
            self.errors = errors
            self.attempts = attempts
            self.lastAttempt = lastAttempt
        }
    }

    /// One repository error.
    public enum RegistryError: Sendable, Hashable {
        case notFound
        case repoFailure(message: String)
        case clientFailure(message: String)
    }

    /// One validation problem in the data.
    public struct DataReport: Sendable, Hashable {
        public var message: String
        /// JSON path of the offending value, e.g. `$.price`.
        public var path: String?
        /// The JSON Schema keyword that failed, e.g. `type`.
        public var keyword: String?
        public var targets: [String]

        public init(message: String, path: String?, keyword: String?, targets: [String] = []) {
            self.message = message
            self.path = path
            self.keyword = keyword
            self.targets = targets
        }
    }

    /// One problem in the schema.
    public struct SchemaIssue: Sendable, Hashable {
        public var path: String
        public var message: String

        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        switch self {
        case .resolutionError(let lookupHistory):
            writer.key("error")
            writer.string("ResolutionError")
            writer.key("lookupHistory")
            writer.beginArray()
            for lookup in lookupHistory {
                writer.beginObject()
                writer.key("errors")
                writer.beginArray()
                for error in lookup.errors {
                    writer.beginObject()
                    writer.key("error")
                    switch error {
                    case .notFound:
                        writer.string("NotFound")
                    case .repoFailure(let message):
                        writer.string("RepoFailure")
                        writer.key("message")
                        writer.string(message)
                    case .clientFailure(let message):
                        writer.string("ClientFailure")
                        writer.key("message")
                        writer.string(message)
                    }
                    writer.endObject()
                }
                writer.endArray()
                writer.key("attempts")
                writer.int(lookup.attempts)
                writer.key("lastAttempt")
                writer.string(lookup.lastAttempt.instantString)
                writer.key("repository")
                writer.string(lookup.repository)
                writer.endObject()
            }
            writer.endArray()
        case .invalidData(let dataReports):
            writer.key("dataReports")
            writer.beginArray()
            for report in dataReports {
                writer.beginObject()
                writer.key("message")
                writer.string(report.message)
                writer.key("path")
                writer.string(report.path)
                writer.key("keyword")
                writer.string(report.keyword)
                writer.key("targets")
                writer.beginArray()
                for target in report.targets { writer.string(target) }
                writer.endArray()
                writer.endObject()
            }
            writer.endArray()
            writer.key("error")
            writer.string("ValidationError")
        case .invalidSchema(let schemaIssues):
            writer.key("schemaIssues")
            writer.beginArray()
            for issue in schemaIssues {
                writer.beginObject()
                writer.key("path")
                writer.string(issue.path)
                writer.key("message")
                writer.string(issue.message)
                writer.endObject()
            }
            writer.endArray()
            writer.key("error")
            writer.string("ValidationError")
        }
        writer.endObject()
    }
}
