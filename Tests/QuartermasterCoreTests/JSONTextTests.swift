import Foundation
import QuartermasterCore
import Testing

@Suite("JSON text")
struct JSONTextTests {
    static let awkward: [[String: String]] = [
        [:],
        ["b": "2", "a": "1"],
        ["quote": "say \"hi\"", "slash": "a/b\\c", "lines": "one\ntwo\r\tthree"],
        ["control": "\u{0}\u{1}\u{8}\u{C}\u{1F}", "unicode": "café ☕ 𝄞", "": "empty key"],
    ]

    @Test("the text decodes back to the same map", arguments: awkward)
    func roundTrips(map: [String: String]) throws {
        let text = JSONText.object(map)
        #expect(try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) == map)
    }

    @Test("the text equals JSONEncoder's with sorted keys and unescaped slashes", arguments: awkward)
    func matchesFoundation(map: [String: String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(JSONText.object(map) == String(decoding: try encoder.encode(map), as: UTF8.self))
    }
}
