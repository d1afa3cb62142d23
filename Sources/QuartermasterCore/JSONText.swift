/// JSON text for the few flat shapes written on every request (audit details, token claims),
/// without `JSONEncoder`'s per-call setup. Output equals `JSONEncoder`'s with `.sortedKeys`
/// and `.withoutEscapingSlashes` for these shapes.
public enum JSONText {
    /// `{"a":"1","b":"2"}` for `["b": "2", "a": "1"]`.
    public static func object(_ map: [String: String]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(map.reduce(2) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 })
        appendObject(map, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `map` as an object with sorted keys.
    public static func appendObject(_ map: [String: String], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, key) in map.keys.sorted().enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendString(key, to: &output)
            output.append(UInt8(ascii: ":"))
            appendString(map[key]!, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Appends `text` as a JSON string literal: RFC 8259 escapes for `"`, `\` and control
    /// characters; every other byte of its UTF-8 as is. Runs without escapes are copied whole.
    public static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices where needsEscape(bytes[index]) {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(bytes[index], to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Appends the escape sequence of a byte for which `needsEscape` holds.
    private static func appendEscape(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            output.append(contentsOf: Array("\\u00".utf8))
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 0x0F)])
        }
    }

    /// Appends `"name":` for a member whose name needs no escaping.
    static func appendKey(_ name: StaticString, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { output.append(contentsOf: $0) }
        output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }
}
