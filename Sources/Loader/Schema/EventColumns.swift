import Shared

/// The columns of the `events` table for a dialect, in table order: the 131 enriched columns under
/// their Snowplow names (each legacy-dialect timestamp followed by its `_ms` column), then the
/// flattened entity columns (see ``EntityField``).
///
/// Type choices (docs/loader-schema.md): `event_id` is a `UUID` and `collector_tstamp` is required
/// (both are in the sorting key); other numbers, flags and timestamps are `Nullable` so an absent
/// value stays absent; text is `String` with `''` for absent (the enriched TSV cannot tell the two
/// apart either); repetitive text is ``ClickHouseDialect/lowCardinalityString``; money and `se_value`
/// are `Decimal(38, 9)` (exact up to 29 integer and 9 fractional digits).
enum EventColumns {
    /// Enriched columns whose values repeat a lot: `LowCardinality(String)` where the dialect allows.
    static let lowCardinalityNames: Set<String> = [
        "app_id", "platform", "event", "name_tracker", "v_tracker", "v_collector", "v_etl", "geo_country", "geo_region",
        "geo_city", "geo_region_name", "geo_timezone", "ip_netspeed", "page_urlscheme", "refr_urlscheme", "refr_medium",
        "refr_source", "mkt_medium", "mkt_source", "mkt_network", "br_name", "br_family", "br_version", "br_type",
        "br_renderengine", "br_lang", "br_colordepth", "os_name", "os_family", "os_manufacturer", "os_timezone",
        "dvce_type", "doc_charset", "tr_currency", "ti_currency", "base_currency", "event_vendor", "event_name",
        "event_format", "event_version",
    ]

    /// Integer columns stored as `Nullable(UInt16)` (ports) or `Nullable(Int64)`; the others are `Nullable(Int32)`.
    static let portNames: Set<String> = ["page_urlport", "refr_urlport"]
    static let wideIntegerNames: Set<String> = ["txn_id"]

    /// The columns for `dialect`.
    static func make(dialect: ClickHouseDialect) -> [EventColumn] {
        var columns: [EventColumn] = []
        for field in EnrichedEventField.all {
            let index = field.index
            switch field.type {
            case .string:
                if field.name == "event_id" {
                    columns.append(EventColumn(name: field.name, type: "UUID", encoding: .uuid(column: index)))
                } else {
                    let type = lowCardinalityNames.contains(field.name) ? dialect.lowCardinalityString : "String"
                    columns.append(EventColumn(name: field.name, type: type, encoding: .string(column: index)))
                }
            case .json:
                columns.append(EventColumn(name: field.name, type: "String", encoding: .string(column: index)))
            case .integer:
                if portNames.contains(field.name) {
                    columns.append(EventColumn(name: field.name, type: "Nullable(UInt16)", encoding: .uint16(column: index)))
                } else if wideIntegerNames.contains(field.name) {
                    columns.append(EventColumn(name: field.name, type: "Nullable(Int64)", encoding: .int64(column: index)))
                } else {
                    columns.append(EventColumn(name: field.name, type: "Nullable(Int32)", encoding: .int32(column: index)))
                }
            case .double:
                columns.append(EventColumn(name: field.name, type: "Nullable(Float64)", encoding: .float64(column: index)))
            case .decimal:
                columns.append(EventColumn(name: field.name, type: "Nullable(Decimal(38, 9))", encoding: .decimal(column: index)))
            case .boolean:
                columns.append(EventColumn(name: field.name, type: "Nullable(UInt8)", encoding: .boolean(column: index)))
            case .timestamp:
                let required = field.name == "collector_tstamp"
                columns.append(
                    EventColumn(
                        name: field.name, type: dialect.timestampType(nullable: !required),
                        encoding: .timestamp(column: index, required: required)))
                if dialect.splitsMilliseconds {
                    columns.append(EventColumn(name: field.name + "_ms", type: "UInt16", encoding: .milliseconds(column: index)))
                }
            }
        }
        for entity in EntityField.allCases {
            columns.append(EventColumn(name: entity.columnName, type: entity.type(dialect: dialect), encoding: .entity(entity)))
            if entity.kind == .timestamp && dialect.splitsMilliseconds {
                columns.append(EventColumn(name: entity.columnName + "_ms", type: "UInt16", encoding: .entityMilliseconds(entity)))
            }
        }
        return columns
    }
}
