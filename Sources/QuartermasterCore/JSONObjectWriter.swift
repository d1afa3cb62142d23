/// Writes one JSON object member by member, for the answers encoded on every request. The
/// caller adds members in key order (so the text equals `JSONEncoder`'s with `.sortedKeys`)
/// and leaves out absent optionals, as `JSONEncoder` does.
public struct JSONObjectWriter {
    private var bytes: [UInt8]
    private var isEmpty = true

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// `"name":"value"`.
    public mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        JSONText.appendString(value, to: &bytes)
    }

    /// `"name":123`.
    public mutating func number(_ name: StaticString, _ value: some BinaryInteger) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// `"name":true`.
    public mutating func bool(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// `"name":["a","b"]`.
    public mutating func strings(_ name: StaticString, _ values: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONText.appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `"name":{...}` for a flat string map, keys sorted.
    public mutating func object(_ name: StaticString, _ map: [String: String]) {
        key(name)
        JSONText.appendObject(map, to: &bytes)
    }

    /// `"name":{...}` written by `members`.
    public mutating func object(_ name: StaticString, _ members: (inout JSONObjectWriter) -> Void) {
        key(name)
        var nested = JSONObjectWriter(capacity: 128)
        members(&nested)
        bytes.append(contentsOf: nested.finish())
    }

    /// The object's text.
    public consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func key(_ name: StaticString) {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
        JSONText.appendKey(name, to: &bytes)
    }
}
