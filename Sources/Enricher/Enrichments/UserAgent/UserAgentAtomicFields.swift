/// The atomic enriched-event fields Freshet fills from a uap-core parse.
///
/// In Snowplow these columns come only from the deprecated user-agent-utils enrichment; its uap-core based
/// enrichment fills just the `ua_parser_context` entity. Users still look for browser, OS and device in the
/// atomic columns, so Freshet derives what uap-core's output supports:
/// - `br_family` = browser family (`"Chrome"`), `br_name` = family and major version (`"Chrome 120"`, as
///   user-agent-utils names browsers), `br_version` = `major.minor.patch` as far as known (`"120.0.6099"`);
/// - `os_family` = OS family (`"Windows"`, `"Mac OS X"`, `"Android"`), `os_name` = family and major version
///   (`"Windows 10"`, `"Android 14"`);
/// - `dvce_type` and `dvce_ismobile` from the device and OS families, with user-agent-utils' vocabulary:
///   `Tablet` (iPad, Kindle, devices named tablets), `Wearable computer` (watchOS, Wear OS, Apple Watch),
///   `Game console` (PlayStation, Xbox, Nintendo), `Mobile` (iOS, Android and the other phone systems,
///   generic smartphones and feature phones), `Computer` (Windows, macOS, Linux distributions, Chrome OS,
///   BSDs); `dvce_ismobile` is true for the first two and `Mobile`. Both stay empty when the families do not
///   say (unknown systems, spiders: bots are reported by bot detection instead).
///
/// Not filled, because uap-core says nothing about them: `br_type`, `br_renderengine`, `os_manufacturer`.
/// Values for families uap-core does not know (`"Other"`) are left empty too.
public struct UserAgentAtomicFields: Sendable, Equatable {
    /// `br_family`.
    public var browserFamily: String?
    /// `br_name`.
    public var browserName: String?
    /// `br_version`.
    public var browserVersion: String?
    /// `os_family`.
    public var osFamily: String?
    /// `os_name`.
    public var osName: String?
    /// `dvce_type`.
    public var deviceType: String?
    /// `dvce_ismobile` (enriched TSV: `1`/`0`).
    public var deviceIsMobile: Bool?

    /// Derives the fields from a parse, as described on the type.
    public init(_ parsed: ParsedUserAgent) {
        let browser = parsed.browser
        if browser.family != "Other" {
            browserFamily = browser.family
            browserName = [browser.family, browser.major].compactMap { $0 }.joined(separator: " ")
            let version = [browser.major, browser.minor, browser.patch].prefix { $0 != nil }.compactMap { $0 }
            browserVersion = version.isEmpty ? nil : version.joined(separator: ".")
        }
        let os = parsed.operatingSystem
        if os.family != "Other" {
            osFamily = os.family
            osName = [os.family, os.major].compactMap { $0 }.joined(separator: " ")
        }
        (deviceType, deviceIsMobile) = Self.deviceClass(parsed)
    }

    /// The filled fields as `(Snowplow column, enriched-TSV value)`, in TSV column order.
    public var columns: [(column: String, value: String)] {
        let all: [(String, String?)] = [
            ("br_name", browserName), ("br_family", browserFamily), ("br_version", browserVersion),
            ("os_name", osName), ("os_family", osFamily), ("dvce_type", deviceType),
            ("dvce_ismobile", deviceIsMobile.map { $0 ? "1" : "0" }),
        ]
        return all.compactMap { column, value in value.map { (column, $0) } }
    }

    private static let mobileSystems: Set<String> = [
        "iOS", "Android", "Windows Phone", "Windows Mobile", "Windows CE", "BlackBerry OS", "Symbian OS",
        "Symbian^3", "Symbian^3 Anna", "Symbian^3 Belle", "KaiOS", "Firefox OS", "Tizen", "webOS", "Bada",
        "Sailfish", "MeeGo", "Maemo", "HarmonyOS", "Brew MP", "BREW", "Nokia Series 40", "Series 60",
    ]
    private static let computerSystems: Set<String> = [
        "Mac OS X", "Mac OS", "macOS", "Linux", "Ubuntu", "Kubuntu", "Debian", "Fedora", "Red Hat", "CentOS",
        "Gentoo", "Mandriva", "Slackware", "SUSE", "openSUSE", "Linux Mint", "Mint", "Arch Linux", "Chrome OS",
        "ChromeOS", "FreeBSD", "OpenBSD", "NetBSD", "Solaris", "Haiku",
    ]

    private static func deviceClass(_ parsed: ParsedUserAgent) -> (String?, Bool?) {
        let device = parsed.device.family
        let os = parsed.operatingSystem.family
        if device == "Spider" { return (nil, nil) }
        if ["PlayStation", "Xbox", "Nintendo", "Wii"].contains(where: { device.hasPrefix($0) || os.hasPrefix($0) }) {
            return ("Game console", false)
        }
        if device == "iPad" || device.hasPrefix("Kindle") || device.localizedStandardContains("tablet")
            || os == "BlackBerry Tablet OS"
        {
            return ("Tablet", true)
        }
        if os == "WatchOS" || os == "Wear OS" || device == "Apple Watch" { return ("Wearable computer", true) }
        if mobileSystems.contains(os) || device == "iPhone" || device == "iPod"
            || device.hasPrefix("Generic Smartphone")
            || device == "Generic Feature Phone"
        {
            return ("Mobile", true)
        }
        if os.hasPrefix("Windows") && !["Windows RT"].contains(os) || computerSystems.contains(os) {
            return ("Computer", false)
        }
        return (nil, nil)
    }
}
