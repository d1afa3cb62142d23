import QuartermasterCrypto
import Testing

@Suite("API key text")
struct APIKeyTextTests {
    @Test("a generated key has the qm_ prefix and parses back")
    func roundTrip() throws {
        let key = APIKeyText.generate()
        #expect(key.text.hasPrefix("qm_"))
        #expect(key.text.count == 3 + 16 + 40 + 6)
        #expect(APIKeyText.parse(key.text) == key)
    }

    @Test("any changed character breaks the checksum")
    func checksumCatchesTypos() {
        let text = APIKeyText.generate().text
        for offset in [3, 10, 30, 60] {
            var characters = Array(text)
            characters[offset] = characters[offset] == "a" ? "b" : "a"
            #expect(APIKeyText.parse(String(characters)) == nil)
        }
    }

    @Test("the checksum is CRC-32 (IEEE) in base62, so keys issued earlier still parse")
    func checksumIsStandardCRC32() throws {
        // Expected text from Python: zlib.crc32 of the body, written in base62.
        let text = "qm_0123456789abcdef" + String(repeating: "A", count: 40) + "0WdYjK"
        let key = try #require(APIKeyText.parse(text))
        #expect(key.id == "0123456789abcdef")
        #expect(key.secret == String(repeating: "A", count: 40))
        #expect(key.text == text)
    }

    @Test("look-alikes are refused", arguments: [
        "", "qm_", "qm_admin_0123456789abcdef_x", String(repeating: "a", count: 65),
        "qm_0123456789abcdef" + String(repeating: "é", count: 20) + "0WdYjK",
    ])
    func lookAlikes(text: String) {
        #expect(APIKeyText.parse(text) == nil)
    }
}
