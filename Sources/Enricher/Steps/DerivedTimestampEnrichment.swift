import Shared

/// Step 3 (built in): `derived_tstamp`, enrich's `getDerivedTimestamp` (reference §3.4):
/// - `true_tstamp` when the tracker sent one;
/// - else, when `dvce_created_tstamp` < `dvce_sent_tstamp` and all three device/collector timestamps
///   are set, `collector_tstamp − (dvce_sent_tstamp − dvce_created_tstamp)` (the device clock's skew
///   cancels out);
/// - else `collector_tstamp`.
struct DerivedTimestampEnrichment: Enrichment {
    var step: EnrichmentStep { .derivedTimestamp }

    func enrich(_ context: inout EnrichmentContext) {
        context.event.derivedTstamp = Self.derive(
            trueTimestamp: context.event.trueTstamp, deviceCreated: context.event.dvceCreatedTstamp,
            deviceSent: context.event.dvceSentTstamp, collector: context.event.collectorTstamp)
    }

    /// The formula on its own.
    static func derive(
        trueTimestamp: SnowplowTimestamp?, deviceCreated: SnowplowTimestamp?, deviceSent: SnowplowTimestamp?,
        collector: SnowplowTimestamp?
    ) -> SnowplowTimestamp? {
        if let trueTimestamp { return trueTimestamp }
        if let deviceCreated, let deviceSent, let collector, deviceCreated < deviceSent {
            let skew = deviceSent.millisecondsSinceEpoch - deviceCreated.millisecondsSinceEpoch
            return SnowplowTimestamp(millisecondsSinceEpoch: collector.millisecondsSinceEpoch - skew) ?? collector
        }
        return collector
    }
}
