import Foundation
import QuartermasterCrypto
import Testing

@Suite("Form decoding and base64url")
struct FormDecodingTests {
    @Test("plus is a space, %XX a byte, UTF-8 only; malformed escapes are refused", arguments: [
        ("client_credentials", "client_credentials"),
        ("a+b", "a b"),
        ("read%3Asecret%2Fgateway%2F**", "read:secret/gateway/**"),
        ("%C3%BCn%C3%AFc%C3%B6d%C3%A9", "ünïcödé"),
        ("%2B%25", "+%"),
        ("", ""),
    ])
    func decodes(input: String, expected: String) {
        #expect(FormDecoding.decode(Substring(input)) == expected)
    }

    @Test("truncated or non-hex escapes and bytes that are not UTF-8 give nil", arguments: ["%", "%4", "%zz", "a%g1", "%FF%FE"])
    func refuses(input: String) {
        #expect(FormDecoding.decode(Substring(input)) == nil)
    }

    @Test("base64url round-trips without padding for every length")
    func base64URL() {
        for length in 0..<40 {
            let data = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) })
            let text = data.base64URLEncodedString()
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Data(base64URLEncoded: text) == data)
        }
    }
}
