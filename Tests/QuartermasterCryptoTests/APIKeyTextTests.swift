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

    @Test("look-alikes are refused", arguments: ["", "qm_", "qm_admin_0123456789abcdef_x", String(repeating: "a", count: 65)])
    func lookAlikes(text: String) {
        #expect(APIKeyText.parse(text) == nil)
    }
}
