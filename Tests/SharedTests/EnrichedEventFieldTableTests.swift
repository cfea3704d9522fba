import Testing

@testable import Shared

/// The column table must describe the stored properties of `EnrichedEvent`'s columns exactly, in order:
/// everything else (TSV, JSON, bad rows) relies on it.
@Suite struct EnrichedEventFieldTableTests {
    static func camelCase(_ snake: String) -> String {
        let parts = snake.split(separator: "_")
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    @Test func tableHas131UniqueColumnsInOrder() {
        let all = EnrichedEventField.all
        #expect(all.count == 131)
        #expect(EnrichedEventField.count == 131)
        #expect(all.map(\.index) == Array(0..<131))
        #expect(Set(all.map(\.name)).count == 131)
        #expect(all.first?.name == "app_id")
        #expect(all.last?.name == "true_tstamp")
        #expect(EnrichedEventField.named("refr_dvce_tstamp")?.number == 122)
        #expect(EnrichedEventField.named("derived_contexts")?.type == .json)
        #expect(EnrichedEventField.named("page_url")?.maxLength == 10000)
        #expect(EnrichedEventField.named("geo_country")?.maxLength == 2)
        #expect(EnrichedEventField.named("se_value")?.type == .decimal)
        #expect(EnrichedEventField.named("txn_id")?.type == .integer)
        #expect(EnrichedEventField.named("nope") == nil)
        let typeCounts = Dictionary(grouping: all, by: \.type).mapValues(\.count)
        #expect(typeCounts == [.string: 84, .json: 3, .integer: 15, .double: 2, .decimal: 9, .boolean: 11, .timestamp: 7])
    }

    @Test func tableMatchesTheStoredPropertiesOfEnrichedEvent() {
        let labels = Mirror(reflecting: EnrichedEvent().box.columns.pointee).children.map(\.label)
        #expect(labels == EnrichedEventField.all.map { Self.camelCase($0.name) })
    }

    /// Writing through each column's offset must change exactly the property of that name.
    @Test func eachColumnOffsetAddressesItsOwnProperty() {
        for field in EnrichedEventField.all {
            var event = EnrichedEvent()
            event.withMutableColumns { target in
                let layout = EnrichedEventField.layout[field.index]
                switch field.type {
                case .string, .json: layout.write("x", to: target)
                case .integer: layout.write(7, to: target)
                case .double: layout.write(1.5, to: target)
                case .decimal: layout.write(SnowplowDecimal(3), to: target)
                case .boolean: layout.write(true, to: target)
                case .timestamp: layout.write(SnowplowTimestamp(millisecondsSinceEpoch: 0), to: target)
                }
            }
            let setLabels = Mirror(reflecting: event.box.columns.pointee).children.compactMap { child -> String? in
                let value = Mirror(reflecting: child.value)
                return value.displayStyle == .optional && value.children.isEmpty ? nil : child.label
            }
            #expect(setLabels == [Self.camelCase(field.name)], "\(field)")
        }
    }

    /// Copies share one block of columns until one of them changes (copy-on-write): a change through a
    /// property, by column or by offset never shows in another copy.
    @Test func copiesAreIndependentValues() throws {
        var original = EnrichedEvent()
        original.appId = "a"
        original.geoLatitude = 1.5
        var copy = original
        #expect(copy.box === original.box)
        #expect(copy == original && copy.hashValue == original.hashValue)

        copy.appId = "b"
        #expect(original.appId == "a" && copy.appId == "b")
        #expect(copy.box !== original.box && copy != original)

        var byColumn = original
        byColumn.setText("c", of: try #require(EnrichedEventField.named("app_id")))
        #expect(original.appId == "a" && byColumn.appId == "c")

        var byOffset = original
        byOffset.withMutableColumns { EnrichedEventField.layout[0].write("d", to: $0) }
        #expect(original.appId == "a" && byOffset.appId == "d")

        var inPlace = original
        inPlace.appId?.append("!")
        #expect(original.appId == "a" && inPlace.appId == "a!")

        // A uniquely held event is changed in place, without a new block.
        var unique = EnrichedEvent()
        let block = ObjectIdentifier(unique.box)
        unique.appId = "x"
        unique.txnId = 7
        #expect(ObjectIdentifier(unique.box) == block)

        // Equal columns in different blocks are equal values with equal hashes.
        var twin = EnrichedEvent()
        twin.appId = "a"
        twin.geoLatitude = 1.5
        #expect(twin.box !== original.box && twin == original && twin.hashValue == original.hashValue)
    }
}
