/// The platform carried in the `p` parameter (`MiscEnrichments.extractPlatform`).
public enum TrackerPlatform: Sendable, Hashable {
    /// `web`
    case web
    /// `mob` (mobile / tablet)
    case mobile
    /// `pc` (desktop / laptop / netbook)
    case desktop
    /// `srv` (server-side app)
    case server
    /// `app` (general app)
    case app
    /// `tv` (connected TV)
    case connectedTV
    /// `cnsl` (games console)
    case console
    /// `iot` (internet of things)
    case internetOfThings
    /// `headset` (AR/VR headset)
    case headset
    /// Any other code: a schema violation "not recognized as a tracking platform".
    case unknown(String)

    /// The platform for a wire code; never fails (unknown codes become ``unknown(_:)``).
    public init(code: String) {
        switch code {
        case "web": self = .web
        case "mob": self = .mobile
        case "pc": self = .desktop
        case "srv": self = .server
        case "app": self = .app
        case "tv": self = .connectedTV
        case "cnsl": self = .console
        case "iot": self = .internetOfThings
        case "headset": self = .headset
        default: self = .unknown(code)
        }
    }

    /// The wire code, which is also the value of the enriched `platform` column.
    public var code: String {
        switch self {
        case .web: return "web"
        case .mobile: return "mob"
        case .desktop: return "pc"
        case .server: return "srv"
        case .app: return "app"
        case .connectedTV: return "tv"
        case .console: return "cnsl"
        case .internetOfThings: return "iot"
        case .headset: return "headset"
        case .unknown(let code): return code
        }
    }

    /// `false` only for ``unknown(_:)``.
    public var isKnown: Bool {
        if case .unknown = self { return false }
        return true
    }
}
