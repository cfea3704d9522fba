/// The event type carried in the `e` parameter (`EventEnrichments.extractEventType`).
public enum TrackerEventType: Sendable, Hashable {
    /// `pv` → `page_view`
    case pageView
    /// `pp` → `page_ping`
    case pagePing
    /// `se`, or legacy `ev` → `struct`
    case structured
    /// `ue` → `unstruct` (a self-describing event in `ue_pr`/`ue_px`)
    case unstructured
    /// `tr` → `transaction`
    case transaction
    /// `ti` → `transaction_item`
    case transactionItem
    /// Legacy `ad` → `ad_impression` (enrich has no schema for it: enrichment failure later)
    case adImpression
    /// Any other code: a schema violation "not recognized as an event type".
    case unknown(String)

    /// The type for a wire code; never fails (unknown codes become ``unknown(_:)``).
    public init(code: String) {
        switch code {
        case "pv": self = .pageView
        case "pp": self = .pagePing
        case "se", "ev": self = .structured
        case "ue": self = .unstructured
        case "tr": self = .transaction
        case "ti": self = .transactionItem
        case "ad": self = .adImpression
        default: self = .unknown(code)
        }
    }

    /// The canonical wire code (`se` for structured events, the original code for unknown ones).
    public var code: String {
        switch self {
        case .pageView: return "pv"
        case .pagePing: return "pp"
        case .structured: return "se"
        case .unstructured: return "ue"
        case .transaction: return "tr"
        case .transactionItem: return "ti"
        case .adImpression: return "ad"
        case .unknown(let code): return code
        }
    }

    /// The value of the enriched `event` column (`page_view`, `struct`, …); `nil` for unknown codes.
    public var eventName: String? {
        switch self {
        case .pageView: return "page_view"
        case .pagePing: return "page_ping"
        case .structured: return "struct"
        case .unstructured: return "unstruct"
        case .transaction: return "transaction"
        case .transactionItem: return "transaction_item"
        case .adImpression: return "ad_impression"
        case .unknown: return nil
        }
    }

    /// `false` only for ``unknown(_:)``.
    public var isKnown: Bool {
        if case .unknown = self { return false }
        return true
    }
}
