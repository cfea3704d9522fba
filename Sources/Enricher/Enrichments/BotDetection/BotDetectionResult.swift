/// What bot detection adds to one event: always a `bot_detection` entity (with `bot: false` and no
/// indicators for a human), never a dropped event.
public struct BotDetectionResult: Sendable, Equatable {
    /// A derived entity: an Iglu schema URI and its data as compact JSON text.
    public struct Entity: Sendable, Equatable {
        /// `iglu:com.snowplowanalytics.snowplow/bot_detection/jsonschema/1-0-1`.
        public var schema: String
        /// For example `{"bot":true,"indicators":["yauaa","iab"]}`.
        public var dataJSON: String
    }

    /// Schema of the entity.
    public static let entitySchema = "iglu:com.snowplowanalytics.snowplow/bot_detection/jsonschema/1-0-1"

    /// Whether any indicator fired.
    public var isBot: Bool { !indicators.isEmpty }
    /// The indicators that fired, in Snowplow's order (`yauaa`, `iab`, `asnLookups`, `clientSideDetection`).
    public var indicators: [BotIndicator]
    /// The include pattern that matched, for logs and debugging (not part of the entity).
    public var matchedPattern: BotUserAgentPattern?

    /// Creates a result from the indicators that fired.
    public init(indicators: [BotIndicator], matchedPattern: BotUserAgentPattern? = nil) {
        // In the order of `allCases` (no arrays built for the usual case: none).
        self.indicators = indicators.count < 2 ? indicators : BotIndicator.allCases.filter(indicators.contains)
        self.matchedPattern = matchedPattern
    }

    /// The entity for `derived_contexts`.
    public var entity: Entity {
        if indicators.isEmpty { return Self.humanEntity }
        let names = indicators.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
        return Entity(schema: Self.entitySchema, dataJSON: "{\"bot\":\(isBot),\"indicators\":[\(names)]}")
    }

    /// The entity of a result without indicators (most events), built once.
    private static let humanEntity = Entity(schema: entitySchema, dataJSON: "{\"bot\":false,\"indicators\":[]}")
}
