import Shared

/// What the visitor profile needs from one enriched event.
///
/// Build it with ``init(event:)`` from an ``EnrichedEvent`` after the other enrichments ran (the
/// referer and campaign enrichments fill the attribution fields). A plain value.
struct VisitorProfileInput: Sendable, Equatable {
    /// The referer and campaign columns an event's touch is made of (see ``VisitorTouch``).
    struct Attribution: Sendable, Equatable {
        var refererMedium: String?
        var refererSource: String?
        var refererTerm: String?
        var refererHost: String?
        var marketingMedium: String?
        var marketingSource: String?
        var marketingTerm: String?
        var marketingContent: String?
        var marketingCampaign: String?
        var marketingClickId: String?
        var marketingNetwork: String?

        init(
            refererMedium: String? = nil, refererSource: String? = nil, refererTerm: String? = nil,
            refererHost: String? = nil,
            marketingMedium: String? = nil, marketingSource: String? = nil, marketingTerm: String? = nil,
            marketingContent: String? = nil, marketingCampaign: String? = nil, marketingClickId: String? = nil,
            marketingNetwork: String? = nil
        ) {
            self.refererMedium = refererMedium
            self.refererSource = refererSource
            self.refererTerm = refererTerm
            self.refererHost = refererHost
            self.marketingMedium = marketingMedium
            self.marketingSource = marketingSource
            self.marketingTerm = marketingTerm
            self.marketingContent = marketingContent
            self.marketingCampaign = marketingCampaign
            self.marketingClickId = marketingClickId
            self.marketingNetwork = marketingNetwork
        }
    }

    /// `event_id`; without one the event cannot be checked for duplicates.
    var eventId: String?
    /// `domain_userid`, the first-party cookie id (preferred visitor id).
    var domainUserid: String?
    /// `network_userid`, the collector's third-party cookie id (fallback visitor id).
    var networkUserid: String?
    /// Event time: `derived_tstamp`, else `collector_tstamp`. Orders a visitor's events and splits sessions.
    var timestamp: SnowplowTimestamp
    /// `true` when `event` is `page_view`.
    var isPageView: Bool
    var attribution: Attribution
    /// Where this copy of the event came from — the raw record's Kafka partition and offset (service) or
    /// the collector log file and line (offline). Stored as the value of the event id's key: the same
    /// event id seen again *from the same source* is that record re-delivered (a crash before its
    /// offsets were committed, a consumer reset), not a duplicate, so it is neither counted again nor
    /// flagged or dropped. `nil`: the batch's stamp stands in (only retries of the batch are recognised).
    var source: String?

    init(
        eventId: String?, domainUserid: String?, networkUserid: String?, timestamp: SnowplowTimestamp,
        isPageView: Bool, attribution: Attribution = Attribution(), source: String? = nil
    ) {
        self.eventId = eventId
        self.domainUserid = domainUserid
        self.networkUserid = networkUserid
        self.timestamp = timestamp
        self.isPageView = isPageView
        self.attribution = attribution
        self.source = source
    }

    /// The fields of an enriched event. `fallbackTimestamp` (e.g. the enrichment time) is used only when
    /// the event has neither `derived_tstamp` nor `collector_tstamp`.
    init(event: EnrichedEvent, fallbackTimestamp: SnowplowTimestamp = .now(), source: String? = nil) {
        self.init(
            eventId: event.eventId,
            domainUserid: event.domainUserid,
            networkUserid: event.networkUserid,
            timestamp: event.derivedTstamp ?? event.collectorTstamp ?? fallbackTimestamp,
            isPageView: event.event == "page_view",
            attribution: Attribution(
                refererMedium: event.refrMedium, refererSource: event.refrSource, refererTerm: event.refrTerm,
                refererHost: event.refrUrlhost, marketingMedium: event.mktMedium, marketingSource: event.mktSource,
                marketingTerm: event.mktTerm, marketingContent: event.mktContent, marketingCampaign: event.mktCampaign,
                marketingClickId: event.mktClickid, marketingNetwork: event.mktNetwork),
            source: source
        )
    }

    /// The all-zero UUID the collector sets as `network_userid` for `SP-Anonymous` requests: shared by
    /// every anonymous visitor, so never a visitor id.
    static let anonymousNetworkUserid = "00000000-0000-0000-0000-000000000000"

    /// The visitor this event belongs to: `domain_userid`, else `network_userid` (unless anonymous);
    /// `nil` when neither identifies a visitor.
    var visitor: VisitorIdentity? {
        if let domainUserid, !domainUserid.isEmpty { return VisitorIdentity(id: domainUserid, source: .domainUserid) }
        if let networkUserid, !networkUserid.isEmpty, networkUserid != Self.anonymousNetworkUserid {
            return VisitorIdentity(id: networkUserid, source: .networkUserid)
        }
        return nil
    }
}

/// A visitor id and the column it came from.
struct VisitorIdentity: Sendable, Hashable {
    /// Which enriched-event column identifies the visitor.
    enum Source: String, Sendable, Hashable {
        case domainUserid = "domain_userid"
        case networkUserid = "network_userid"
    }

    var id: String
    var source: Source
}
