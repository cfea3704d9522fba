/// One query-string or body parameter of a collector payload or raw event, as bad rows record it
/// (`{"name": …, "value": …}`, `value` `null` for a parameter without `=`). A plain `Sendable` value.
public struct BadRowNameValuePair: Sendable, Hashable {
    public var name: String
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("name")
        writer.string(name)
        writer.key("value")
        writer.string(value)
        writer.endObject()
    }
}
