/// The referer mediums of the referer-parser database and of `refr_medium`.
public enum RefererMedium: String, Sendable, CaseIterable {
    case unknown
    case search
    case `internal`
    case social
    case email
    case paid
    case chatbot
}

/// One database entry: the medium and source a domain (or domain + path) belongs to, and the query
/// parameters that carry a search term.
public struct RefererSource: Sendable, Equatable {
    public var medium: RefererMedium
    public var name: String
    public var parameters: [String]

    public init(medium: RefererMedium, name: String, parameters: [String]) {
        self.medium = medium
        self.name = name
        self.parameters = parameters
    }
}
