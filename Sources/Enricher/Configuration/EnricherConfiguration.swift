import Foundation
import Shared

/// Everything the enricher can be configured with; filled from command-line options or `FRESHET_*`
/// environment variables by ``EnricherCommand``.
struct EnricherConfiguration: Sendable {
    /// Topic of collector payloads. Default: `raw`.
    var rawTopic = "raw"
    /// Topic of enriched TSV lines. Default: `enriched`.
    var enrichedTopic = "enriched"
    /// Topic of bad rows. Default: `bad`.
    var badTopic = "bad"
    /// Consumer group. Default: `enricher`.
    var groupID = "enricher"
    /// Raw records taken per poll and enriched as one batch. Default: 250. Memory in flight grows with
    /// it (raw records, events being enriched, encoded lines awaiting acknowledgement, times
    /// ``maximumBatchesInFlight`` and the stages): the bench's service peak RSS was 153–162 MB with 1000,
    /// 129–136 MB with 500 and 122–126 MB with 250, at the same CPU per event.
    var batchSize = 250
    /// Batches whose productions may be awaiting acknowledgement at once; bounds memory and the
    /// duplicates a crash can cause. Default: 6 (a batch spends ~50 ms from poll to acknowledgement
    /// in the bench, ~5 batches of enrichment at its rate: with 4 the loop waited for acknowledgements
    /// while a core idled; 6 costs no measurable memory).
    var maximumBatchesInFlight = 6
    /// Worker tasks enriching a batch in parallel. Default: the number of cores.
    var workers = ProcessInfo.processInfo.activeProcessorCount
    /// Enrichment configuration: a directory of Snowplow enrichment JSON files, or one JSON/YAML
    /// file listing them. Default: none (only the built-in steps run).
    var enrichmentsPath: String?
    /// Directory the enrichments' database files (`database` parameters) are read from.
    /// Default: `.stack/data/enrichments`.
    var assetsDirectory = ".stack/data/enrichments"
    /// What to do while the visitor-profile stage cannot reach Redis. Default: ``VisitorProfileFailurePolicy/pause``.
    var profileFailurePolicy: VisitorProfileFailurePolicy = .pause
    /// Largest enriched line sent as is; larger ones become `size_violation` bad rows. Default: 1 000 000 bytes.
    var maximumRecordBytes = 1_000_000
    /// How often consumer lag is measured for `/metrics`. Default: 5 s.
    var lagInterval: Duration = .seconds(5)

    /// `v_etl`: `freshet-enricher-<version>`.
    static var vEtl: String { "freshet-enricher-\(FreshetVersion.current)" }
    /// The processor named in bad rows.
    static var processor: BadRowProcessor { .freshet(service: "enricher", version: FreshetVersion.current) }
}
