/// The uap-core rules as written in a `regexes.yaml` file: three ordered lists of regular expressions with
/// their replacement templates, not yet compiled.
///
/// The structure follows uap-core's `docs/specification.md`: `user_agent_parsers`, `os_parsers` and
/// `device_parsers`, each entry a `regex`, an optional `regex_flag` (`'i'` for case-insensitive matching)
/// and optional `*_replacement` templates that may refer to capture groups as `$1`…`$9`.
/// Load one with ``UserAgentRules/load(contentsOf:)`` or ``UserAgentRules/init(yaml:)``; compile it with
/// ``UserAgentParser/init(rules:)``. A plain value: `Sendable`, immutable after loading.
public struct UserAgentRules: Sendable, Equatable {
    /// One entry of `user_agent_parsers` (the browser or client application) or of `os_parsers`: the
    /// two lists have the same shape, only their YAML keys differ.
    public struct VersionedRule: Sendable, Equatable {
        /// The regular expression, PCRE-flavoured, unanchored.
        public var regex: String
        /// `true` when `regex_flag: 'i'` asks for case-insensitive matching.
        public var caseInsensitive: Bool
        /// `family_replacement` / `os_replacement`; default `$1`.
        public var family: String?
        /// `v1_replacement` / `os_v1_replacement`; default capture group 2.
        public var major: String?
        /// `v2_replacement` / `os_v2_replacement`; default capture group 3.
        public var minor: String?
        /// `v3_replacement` / `os_v3_replacement`; default capture group 4.
        public var patch: String?
        /// `v4_replacement` / `os_v4_replacement`; default capture group 5.
        public var patchMinor: String?

        /// Creates an entry; `nil` replacements fall back to the capture groups.
        public init(
            regex: String, caseInsensitive: Bool = false, family: String? = nil, major: String? = nil,
            minor: String? = nil, patch: String? = nil, patchMinor: String? = nil
        ) {
            self.regex = regex
            self.caseInsensitive = caseInsensitive
            self.family = family
            self.major = major
            self.minor = minor
            self.patch = patch
            self.patchMinor = patchMinor
        }
    }

    /// One entry of `user_agent_parsers`.
    public typealias Browser = VersionedRule
    /// One entry of `os_parsers`.
    public typealias OperatingSystem = VersionedRule

    /// One entry of `device_parsers`.
    public struct Device: Sendable, Equatable {
        /// The regular expression, PCRE-flavoured, unanchored.
        public var regex: String
        /// `true` when `regex_flag: 'i'` asks for case-insensitive matching.
        public var caseInsensitive: Bool
        /// `device_replacement`; default `$1`.
        public var family: String?
        /// `brand_replacement`; no default (the brand stays unset).
        public var brand: String?
        /// `model_replacement`; default `$1`.
        public var model: String?

        /// Creates an entry; `nil` replacements fall back as documented on each field.
        public init(
            regex: String, caseInsensitive: Bool = false, family: String? = nil, brand: String? = nil,
            model: String? = nil
        ) {
            self.regex = regex
            self.caseInsensitive = caseInsensitive
            self.family = family
            self.brand = brand
            self.model = model
        }
    }

    /// `user_agent_parsers`, in file order (the first match wins).
    public var browsers: [Browser]
    /// `os_parsers`, in file order (the first match wins).
    public var operatingSystems: [OperatingSystem]
    /// `device_parsers`, in file order (the first match wins).
    public var devices: [Device]

    /// Creates rules from already-built lists.
    public init(browsers: [Browser], operatingSystems: [OperatingSystem], devices: [Device]) {
        self.browsers = browsers
        self.operatingSystems = operatingSystems
        self.devices = devices
    }
}
