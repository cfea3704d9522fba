/// What the uap-core rules say about one user-agent string: the browser (client), its operating system and
/// its device. A plain `Sendable` value.
///
/// Fields follow uap-core's parser output: a family is never empty (`"Other"` when no rule matched); the
/// other fields are `nil` when unknown. Values are trimmed and never empty strings.
public struct ParsedUserAgent: Sendable, Equatable {
    /// A family with up to four version components: the browser or client application
    /// (`user_agent_parsers`, e.g. `"Chrome"` `120`) or the operating system (`os_parsers`, e.g.
    /// `"Windows"`, `"Mac OS X"`, `"Android"`).
    public struct VersionedFamily: Sendable, Equatable {
        /// For example `"Chrome"`, `"Mobile Safari"`, `"Googlebot"`, `"Windows"`; `"Other"` when unknown.
        public var family: String
        /// Major version, e.g. `"120"`.
        public var major: String?
        /// Minor version.
        public var minor: String?
        /// Patch version.
        public var patch: String?
        /// Fourth version component (uap-core's `patch_minor`; Snowplow's entity does not carry it).
        public var patchMinor: String?

        /// Creates a description.
        public init(
            family: String, major: String? = nil, minor: String? = nil, patch: String? = nil,
            patchMinor: String? = nil
        ) {
            self.family = family
            self.major = major
            self.minor = minor
            self.patch = patch
            self.patchMinor = patchMinor
        }

        /// The result when no rule matches.
        public static let other = VersionedFamily(family: "Other")
    }

    /// The browser or client application (`user_agent_parsers`).
    public typealias Browser = VersionedFamily
    /// The operating system (`os_parsers`).
    public typealias OperatingSystem = VersionedFamily

    /// The device (`device_parsers`).
    public struct Device: Sendable, Equatable {
        /// For example `"iPhone"`, `"Samsung SM-G991B"`, `"Spider"`, `"Mac"`; `"Other"` when unknown.
        public var family: String
        /// The manufacturer, e.g. `"Apple"`, `"Samsung"`, `"Spider"`.
        public var brand: String?
        /// The model, e.g. `"iPhone"`, `"SM-G991B"`.
        public var model: String?

        /// Creates a device description.
        public init(family: String, brand: String? = nil, model: String? = nil) {
            self.family = family
            self.brand = brand
            self.model = model
        }

        /// The result when no rule matches.
        public static let other = Device(family: "Other")
    }

    /// The browser or client application.
    public var browser: Browser
    /// The operating system.
    public var operatingSystem: OperatingSystem
    /// The device.
    public var device: Device

    /// Creates a parse result.
    public init(browser: Browser, operatingSystem: OperatingSystem, device: Device) {
        self.browser = browser
        self.operatingSystem = operatingSystem
        self.device = device
    }
}
