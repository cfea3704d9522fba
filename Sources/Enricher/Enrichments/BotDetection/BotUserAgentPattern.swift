/// One entry of bot detection's user-agent lists.
public enum BotUserAgentPattern: Sendable, Equatable, Hashable {
    /// Matches when the user agent contains this text, ignoring ASCII case. The cheap, preferred form: all
    /// substrings are found in one pass over the user agent.
    case substring(String)
    /// Matches when this regular expression (the same PCRE subset as uap-core's rules, unanchored) finds a
    /// match; `caseInsensitive` folds ASCII letters. Costs one regex run per event.
    case regex(String, caseInsensitive: Bool = true)
}
