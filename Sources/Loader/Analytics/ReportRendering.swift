import Shared

/// Renders ``AnalyticsReport/Table``s for people (aligned text) or programs (one JSON document).
enum ReportRendering {
    /// One block per report: a `== name ==` line, a header and aligned rows (`(none)` when empty;
    /// an empty dimension value prints as `(none)` too, e.g. direct traffic's referrer).
    static func text(_ tables: [AnalyticsReport.Table], from: String, to: String) -> String {
        var output = "Freshet analytics from \(from) to \(to) (UTC)\n"
        for table in tables {
            output += "\n== \(table.name) ==\n"
            let header = table.dimensions + table.measures
            let rows = table.rows.map { row in row.enumerated().map { $0.offset < table.dimensions.count && $0.element.isEmpty ? "(none)" : $0.element } }
            guard !rows.isEmpty else {
                output += "(no data)\n"
                continue
            }
            var widths = header.map(\.count)
            for row in rows {
                for (index, value) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], value.count) }
            }
            func line(_ values: [String]) -> String {
                values.enumerated().map { index, value in
                    let padding = String(repeating: " ", count: max(0, widths[min(index, widths.count - 1)] - value.count))
                    return index < table.dimensions.count ? value + padding : padding + value
                }.joined(separator: "  ")
            }
            output += line(header) + "\n"
            for row in rows { output += line(row) + "\n" }
        }
        return output
    }

    /// `{"from":…,"to":…,"reports":{"name":[{"column":value,…},…],…}}`; measures are JSON numbers.
    static func json(_ tables: [AnalyticsReport.Table], from: String, to: String) -> String {
        var reports = JSONObject()
        for table in tables {
            let rows: [JSONValue] = table.rows.map { row in
                var object = JSONObject()
                for (index, name) in (table.dimensions + table.measures).enumerated() where index < row.count {
                    let value = row[index]
                    if index >= table.dimensions.count, let number = JSONNumber(literal: value) {
                        object[name] = .number(number)
                    } else {
                        object[name] = .string(value)
                    }
                }
                return .object(object)
            }
            reports[table.name] = .array(rows)
        }
        let document: JSONValue = .object(["from": .string(from), "to": .string(to), "reports": .object(reports)])
        return document.serialized()
    }
}
