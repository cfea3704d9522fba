import Foundation

/// A uap-core replacement such as `'Firefox ($1)'` or the implicit `$2`, split once at load time into text
/// and capture-group references.
///
/// Expansion follows uap-core's reference parser: every `$` followed by a digit is replaced by that capture
/// group (an empty string when the group did not take part in the match or does not exist, and for `$0`);
/// the result is trimmed of leading and trailing white space and an empty result means "unknown" (`nil`).
struct ReplacementTemplate: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case text(String)
        case group(Int)
    }

    let segments: [Segment]

    init(_ template: String) {
        var segments: [Segment] = []
        var text = ""
        var scalars = template.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if scalar == "$", let next = pending, ("0"..."9").contains(next) {
                if !text.isEmpty { segments.append(.text(text)) }
                text = ""
                segments.append(.group(Int(next.value - 48)))
                pending = scalars.next()
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        if !text.isEmpty { segments.append(.text(text)) }
        self.segments = segments
    }

    /// Expands the template with `group(n)` giving capture group `n` (`nil` when it did not participate).
    func expand(_ group: (Int) -> Substring?) -> String? {
        var result = ""
        for segment in segments {
            switch segment {
            case .text(let text): result += text
            case .group(let index): if index > 0, let value = group(index) { result += value }
            }
        }
        let trimmed = result.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
