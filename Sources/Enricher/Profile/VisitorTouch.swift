import Shared

/// One marketing touch: where a visitor came from on one event, as the first-touch and last-touch
/// attribution of the visitor context show it.
///
/// An event is a touch when it carries a campaign (any of `mkt_medium`, `mkt_source`, `mkt_term`,
/// `mkt_content`, `mkt_campaign`, `mkt_clickid`) or an external referer (`refr_medium` set by the
/// referer enrichment and not `internal`). ``medium``, ``source`` and ``term`` come from the campaign
/// fields when there is a campaign, else from the referer fields (as web analytics tools attribute a
/// visit). A plain value.
struct VisitorTouch: Sendable, Equatable {
    /// Event time of the touch.
    var timestamp: SnowplowTimestamp
    /// `mkt_medium`, or `refr_medium` without a campaign (`search`, `social`, `email`, `unknown`, …).
    var medium: String?
    /// `mkt_source`, or `refr_source` without a campaign (`Google`, `Facebook`, …).
    var source: String?
    /// `mkt_term`, or `refr_term` (the search term) without a campaign.
    var term: String?
    /// `mkt_campaign`.
    var campaign: String?
    /// `mkt_content`.
    var content: String?
    /// `mkt_clickid` (e.g. a `gclid`).
    var clickId: String?
    /// `mkt_network` (e.g. `Google`).
    var network: String?
    /// `refr_urlhost`.
    var refererHost: String?

    /// The string fields in the order the Lua script stores them (after the timestamp).
    var storedValues: [String?] { [medium, source, term, campaign, content, clickId, network, refererHost] }

    /// The touch of an event, or `nil` when the event carries no attribution (direct or internal traffic).
    /// Values are cut to `maximumBytes` UTF-8 bytes.
    init?(attribution: VisitorProfileInput.Attribution, timestamp: SnowplowTimestamp, maximumBytes: Int) {
        func value(_ text: String?) -> String? {
            guard let text, !text.isEmpty else { return nil }
            return Self.truncated(text, toBytes: maximumBytes)
        }
        func present(_ text: String?) -> Bool { !(text?.isEmpty ?? true) }
        // Checked one by one (no array per event: this runs for every event of every batch).
        let hasCampaign =
            present(attribution.marketingMedium) || present(attribution.marketingSource)
            || present(attribution.marketingTerm) || present(attribution.marketingContent)
            || present(attribution.marketingCampaign) || present(attribution.marketingClickId)
        guard hasCampaign || present(attribution.refererMedium) else { return nil }
        let refererMedium = value(attribution.refererMedium)
        let hasExternalReferer = refererMedium != nil && refererMedium != "internal"
        guard hasCampaign || hasExternalReferer else { return nil }
        self.timestamp = timestamp
        if hasCampaign {
            medium = value(attribution.marketingMedium)
            source = value(attribution.marketingSource)
            term = value(attribution.marketingTerm)
        } else {
            medium = refererMedium
            source = value(attribution.refererSource)
            term = value(attribution.refererTerm)
        }
        campaign = value(attribution.marketingCampaign)
        content = value(attribution.marketingContent)
        clickId = value(attribution.marketingClickId)
        network = value(attribution.marketingNetwork)
        refererHost = value(attribution.refererHost)
    }

    /// A touch as stored in Redis: the timestamp and the eight values of ``storedValues`` (empty = none).
    init?(stored timestamp: Int64, values: [String]) {
        guard values.count == 8, let timestamp = SnowplowTimestamp(millisecondsSinceEpoch: timestamp) else {
            return nil
        }
        func value(_ index: Int) -> String? { values[index].isEmpty ? nil : values[index] }
        self.timestamp = timestamp
        medium = value(0)
        source = value(1)
        term = value(2)
        campaign = value(3)
        content = value(4)
        clickId = value(5)
        network = value(6)
        refererHost = value(7)
    }

    /// ``storedValues`` as the one string the profile keeps per touch: each value (empty for none) as its
    /// UTF-8 byte count in decimal, `:`, and its bytes — `6:search6:Google0:…`. Any byte may occur in a
    /// value; the lengths make it unambiguous. The Lua script stores and answers it as it is.
    var packedValues: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(packedByteCount)
        appendPackedValues(to: &bytes)
        return bytes
    }

    /// ``packedValues`` as a MessagePack string, written in place (no array per touch).
    func appendPackedValues(to writer: inout MessagePack.Writer) {
        writer.appendString(byteCount: packedByteCount) { appendPackedValues(to: &$0) }
    }

    /// The length of ``packedValues``.
    private var packedByteCount: Int {
        func length(_ value: String?) -> Int {
            let count = value?.utf8.count ?? 0
            return Self.decimalDigits(count) + 1 + count
        }
        return length(medium) + length(source) + length(term) + length(campaign) + length(content)
            + length(clickId) + length(network) + length(refererHost)
    }

    /// Appends ``packedValues``, field by field in ``storedValues`` order (no array per touch).
    private func appendPackedValues(to bytes: inout [UInt8]) {
        func append(_ value: String?) {
            let count = value?.utf8.count ?? 0
            var divisor = 1
            for _ in 1..<Self.decimalDigits(count) { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(count / divisor % 10))
                divisor /= 10
            }
            bytes.append(UInt8(ascii: ":"))
            if let value { bytes.append(contentsOf: value.utf8) }
        }
        append(medium)
        append(source)
        append(term)
        append(campaign)
        append(content)
        append(clickId)
        append(network)
        append(refererHost)
    }

    private static func decimalDigits(_ value: Int) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return digits
    }

    /// A touch as stored in Redis: the timestamp and ``packedValues``; `nil` unless `packed` holds
    /// exactly eight length-prefixed values.
    init?(stored timestamp: Int64, packed: some Collection<UInt8>) {
        var values: [String] = []
        values.reserveCapacity(8)
        var position = packed.startIndex
        while position != packed.endIndex {
            var length = 0
            var digits = 0
            while position != packed.endIndex, packed[position] != UInt8(ascii: ":") {
                let digit = packed[position]
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9"), digits < 9 else { return nil }
                length = length * 10 + Int(digit - UInt8(ascii: "0"))
                digits += 1
                position = packed.index(after: position)
            }
            guard digits > 0, position != packed.endIndex else { return nil }
            position = packed.index(after: position)  // the ':'
            guard let end = packed.index(position, offsetBy: length, limitedBy: packed.endIndex) else { return nil }
            values.append(String(decoding: packed[position..<end], as: UTF8.self))
            position = end
        }
        self.init(stored: timestamp, values: values)
    }

    /// The touch as the `firstTouch`/`lastTouch` object of the visitor context; absent values are `null`.
    var json: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return [
            "timestamp": .string(timestamp.iso8601String),
            "medium": text(medium),
            "source": text(source),
            "term": text(term),
            "campaign": text(campaign),
            "content": text(content),
            "clickId": text(clickId),
            "network": text(network),
            "refererHost": text(refererHost),
        ]
    }

    /// `text` cut to at most `limit` UTF-8 bytes, never inside a character (grapheme cluster).
    static func truncated(_ text: String, toBytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var end = text.startIndex
        var bytes = 0
        for index in text.indices {
            let next = text.index(after: index)
            let length = text.utf8.distance(from: index, to: next)
            if bytes + length > limit { break }
            bytes += length
            end = next
        }
        return String(text[..<end])
    }
}
