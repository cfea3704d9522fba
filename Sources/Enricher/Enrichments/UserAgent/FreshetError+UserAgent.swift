import Shared

extension FreshetError.Code {
    /// The uap-core rules file (`regexes.yaml`) could not be read, is not valid YAML, lacks one of the three
    /// parser lists, or holds an entry without a `regex`. Not retriable: the file must be fixed or replaced.
    public static let userAgentRulesInvalid: Self = "useragent.rules_invalid"
    /// A `regex` in the uap-core rules file does not compile with the regular-expression engine. Not retriable.
    public static let userAgentRegexInvalid: Self = "useragent.regex_invalid"
}
